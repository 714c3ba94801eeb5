package io.apiforge.migrations.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * A running PostgreSQL server that tests create their databases on: embedded, in a
 * container, or an external one named by an environment variable.
 */
public interface PostgresServer extends AutoCloseable {

	/**
	 * Return a short description for logs, such as {@code embedded PostgreSQL 15.18}.
	 * @return the description
	 */
	String description();

	String host();

	int port();

	/**
	 * Return the user that creates and drops test databases.
	 * @return a user with the {@code CREATEDB} privilege
	 */
	String adminUser();

	@Nullable String adminPassword();

	/**
	 * Return the database the admin user connects to when it creates others.
	 * @return the maintenance database name
	 */
	default String maintenanceDatabase() {
		return "postgres";
	}

	default String jdbcUrl(String database) {
		return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
	}

	default Connection connectAsAdmin(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", adminUser());
		if (adminPassword() != null) {
			properties.setProperty("password", adminPassword());
		}
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	@Override
	void close();

}
