package io.apiforge.migrations.tenants;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One tenant: a name, and where its tables live. A schema tenant lives in a schema of
 * the application's database, with its own schema history table in that schema; a
 * database tenant (a data source of its own) lives in its own database, in its
 * connection's default schema unless a schema is given too.
 *
 * @param name the tenant's name, unique among the tenants: the key of its status, its
 * lock and its backups
 * @param schema the schema Flyway migrates, exactly as it is in the catalog (no quotes),
 * or {@code null} for the default schema of the tenant's connection
 * @param dataSource the tenant's own database, or {@code null} for the application's
 * @author apiforge
 */
public record Tenant(String name, @Nullable String schema, @Nullable DataSource dataSource) {

	public Tenant {
		Assert.hasText(name, "'name' must not be empty");
		Assert.isTrue(schema != null || dataSource != null, "A tenant needs a schema, a data source, or both");
		Assert.isTrue(schema == null || !schema.isEmpty(), "'schema' must not be empty");
	}

	/**
	 * Return a tenant that is a schema of the application's database, named after it.
	 * @param schema the schema, exactly as it is in the catalog
	 * @return the tenant
	 */
	public static Tenant ofSchema(String schema) {
		return new Tenant(schema, schema, null);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
