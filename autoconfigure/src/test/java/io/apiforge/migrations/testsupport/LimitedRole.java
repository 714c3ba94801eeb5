package io.apiforge.migrations.testsupport;

import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.Driver;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * A new login role without {@code CREATEDB} on a test database's server, dropped on
 * {@link #close()} (roles belong to the server, not to the test database).
 *
 * @param database the database it connects to
 * @param name the role
 * @param password its password
 */
public record LimitedRole(TestDatabase database, String name, String password) implements AutoCloseable {

	/**
	 * Create a role that may log in and nothing more.
	 * @param database the database it is for
	 * @return the role
	 */
	public static LimitedRole create(TestDatabase database) {
		String name = "limited_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
		String password = UUID.randomUUID().toString();
		admin(database, "CREATE ROLE " + name + " LOGIN NOCREATEDB PASSWORD '" + password + "'");
		return new LimitedRole(database, name, password);
	}

	/**
	 * Return a non-pooled data source on the database, as this role.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return new SimpleDriverDataSource(new Driver(), this.database.jdbcUrl(), this.name, this.password);
	}

	/**
	 * Return the Spring Boot properties that connect an application as this role.
	 * @return {@code spring.datasource.*} properties
	 */
	public String[] springProperties() {
		return new String[] { "spring.datasource.url=" + this.database.jdbcUrl(),
				"spring.datasource.username=" + this.name, "spring.datasource.password=" + this.password };
	}

	@Override
	public void close() {
		admin(this.database, "DROP ROLE IF EXISTS " + this.name);
	}

	private static void admin(TestDatabase database, String sql) {
		try {
			MaintenanceSessions.execute(database.server(), sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

}
