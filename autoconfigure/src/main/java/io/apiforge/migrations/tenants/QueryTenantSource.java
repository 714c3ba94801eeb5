package io.apiforge.migrations.tenants;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;

/**
 * Schema tenants read with a query: {@code migrations.tenants.query}, such as
 * {@code SELECT schema_name FROM tenants WHERE active}. The first column of each row is a
 * schema name, exactly as it is in the catalog; nulls and blanks are skipped.
 *
 * @author apiforge
 */
public class QueryTenantSource implements TenantSource {

	private final DataSource dataSource;

	private final String query;

	/**
	 * Create a source.
	 * @param dataSource the database the query runs on
	 * @param query the query; its first column is the schema name
	 */
	public QueryTenantSource(DataSource dataSource, String query) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(query, "'query' must not be empty");
		this.dataSource = dataSource;
		this.query = query;
	}

	@Override
	public List<Tenant> tenants() {
		Set<String> schemas = new LinkedHashSet<>();
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(this.query)) {
			while (rows.next()) {
				String schema = rows.getString(1);
				if (schema != null && !schema.isBlank()) {
					schemas.add(schema);
				}
			}
		}
		catch (SQLException ex) {
			throw new MigrationsException("Could not list the tenants with migrations.tenants.query: " + ex.getMessage(),
					"Fix migrations.tenants.query: it must return the tenants' schema names in its first column "
							+ "(such as SELECT schema_name FROM tenants); nothing was migrated.",
					ex);
		}
		return schemas.stream().map(Tenant::ofSchema).toList();
	}

	@Override
	public String describe() {
		return "migrations.tenants.query";
	}

}
