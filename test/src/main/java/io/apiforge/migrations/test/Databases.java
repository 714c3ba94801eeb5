package io.apiforge.migrations.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Creates, clones and drops the databases of a test run on a {@link PostgresServer}.
 *
 * @author apiforge
 */
final class Databases {

	/** {@code object_in_use}: someone is connected to the template being cloned. */
	private static final String OBJECT_IN_USE = "55006";

	/** A connection still starting up has no role yet, and FORCE may not end it. */
	private static final String INSUFFICIENT_PRIVILEGE = "42501";

	private static final int ATTEMPTS = 50;

	private Databases() {
	}

	static String create(PostgresServer server, String prefix) {
		String name = name(prefix);
		execute(server, "CREATE DATABASE " + name, "create the test database " + name, null);
		return name;
	}

	static String cloneOf(PostgresServer server, String template, int serverVersion, String prefix) {
		String name = name(prefix);
		// Since PostgreSQL 15, CREATE DATABASE writes the copy through the WAL by default;
		// copying the files is quicker for the small databases of tests.
		String strategy = (serverVersion >= 15) ? " STRATEGY FILE_COPY" : "";
		// CREATE DATABASE waits a few seconds for sessions on the template to end (a
		// connection closed a moment ago), then gives up: try again.
		execute(server, "CREATE DATABASE " + name + " TEMPLATE " + template + strategy,
				"clone the template database " + template + " into " + name, OBJECT_IN_USE);
		return name;
	}

	static void drop(PostgresServer server, String name) {
		execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)", "drop the test database " + name,
				INSUFFICIENT_PRIVILEGE);
	}

	static DataSource dataSource(PostgresServer server, String database) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setUrl(server.jdbcUrl(database));
		dataSource.setUser(server.adminUser());
		String password = server.adminPassword();
		if (password != null) {
			dataSource.setPassword(password);
		}
		return dataSource;
	}

	private static String name(String prefix) {
		return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
	}

	private static void execute(PostgresServer server, String sql, String what, @Nullable String retryOn) {
		for (int attempt = 1;; attempt++) {
			try (Connection connection = server.connectAsAdmin(server.maintenanceDatabase());
					Statement statement = connection.createStatement()) {
				statement.execute(sql);
				return;
			}
			catch (SQLException ex) {
				if (retryOn == null || !retryOn.equals(ex.getSQLState()) || attempt == ATTEMPTS) {
					throw new IllegalStateException("Could not " + what + " on " + server.description() + ": "
							+ ex.getMessage() + (INSUFFICIENT_PRIVILEGE.equals(ex.getSQLState())
									? ". The user " + server.adminUser() + " needs the CREATEDB privilege." : ""),
							ex);
				}
				sleep();
			}
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the test database", ex);
		}
	}

}
