package io.apiforge.migrations.test;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

/**
 * The database a test class migrates once, and clones for each test
 * ({@code CREATE DATABASE … TEMPLATE …}): a copy of a migrated database costs a file
 * copy, not a migration. Nobody connects to it after it is migrated, since PostgreSQL
 * only clones a database nobody is connected to.
 *
 * @author apiforge
 */
final class TemplateDatabase implements AutoCloseable {

	private final PostgresServer server;

	private final MigrationsSetup setup;

	private final String name;

	private final @Nullable MigrationVersion version;

	private final int serverVersion;

	private TemplateDatabase(PostgresServer server, MigrationsSetup setup, String name,
			@Nullable MigrationVersion version) {
		this.server = server;
		this.serverVersion = PostgresServers.majorVersion(server);
		this.setup = setup;
		this.name = name;
		this.version = version;
	}

	static TemplateDatabase migrate(PostgresServer server, MigrationsSetup setup) {
		String name = Databases.create(server, "migrations_template_");
		try {
			Flyway flyway = setup.flyway(Databases.dataSource(server, name), setup.templateVersion());
			flyway.migrate();
			return new TemplateDatabase(server, setup, name, MigrationsSetup.currentVersion(flyway));
		}
		catch (RuntimeException ex) {
			Databases.drop(server, name);
			throw ex;
		}
	}

	PostgresServer server() {
		return this.server;
	}

	MigrationsSetup setup() {
		return this.setup;
	}

	String name() {
		return this.name;
	}

	/**
	 * Return the version the template is at.
	 * @return the version, or {@code null} when the migrations are empty
	 */
	@Nullable MigrationVersion version() {
		return this.version;
	}

	String createClone() {
		return Databases.cloneOf(this.server, this.name, this.serverVersion, "migrations_test_");
	}

	String createEmpty() {
		return Databases.create(this.server, "migrations_test_");
	}

	@Override
	public void close() {
		Databases.drop(this.server, this.name);
	}

}
