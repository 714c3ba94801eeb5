package io.apiforge.migrations.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * A running PostgreSQL server that tests create their databases on: embedded, in a
 * container, or an external one named by an environment variable. See
 * {@link PostgresServers} for which one a test run gets.
 *
 * @author apiforge
 */
public interface PostgresServer extends AutoCloseable {

	/**
	 * Return a short description for messages, such as
	 * {@code embedded PostgreSQL 15 on port 5432}.
	 * @return the description
	 */
	String description();

	/**
	 * Return the host clients connect to.
	 * @return the host
	 */
	String host();

	/**
	 * Return the port clients connect to.
	 * @return the port
	 */
	int port();

	/**
	 * Return the user that creates and drops test databases.
	 * @return a user with the {@code CREATEDB} privilege
	 */
	String adminUser();

	/**
	 * Return the admin user's password.
	 * @return the password, or {@code null} when none is needed
	 */
	@Nullable String adminPassword();

	/**
	 * Return the database the admin user connects to when it creates others.
	 * @return the maintenance database name
	 */
	default String maintenanceDatabase() {
		return "postgres";
	}

	/**
	 * Return the JDBC URL of a database on this server.
	 * @param database the database
	 * @return such as {@code jdbc:postgresql://localhost:5432/test_1a2b}
	 */
	default String jdbcUrl(String database) {
		return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
	}

	/**
	 * Connect to a database of this server as the admin user.
	 * @param database the database
	 * @return a new connection, which the caller closes
	 * @throws SQLException when the connection fails
	 */
	default Connection connectAsAdmin(String database) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", adminUser());
		String password = adminPassword();
		if (password != null) {
			properties.setProperty("password", password);
		}
		return DriverManager.getConnection(jdbcUrl(database), properties);
	}

	/**
	 * Stop the server, when this kit started it.
	 */
	@Override
	void close();

}
