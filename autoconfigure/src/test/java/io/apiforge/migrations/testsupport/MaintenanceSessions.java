package io.apiforge.migrations.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One admin session per server on its maintenance database, kept for the test JVM's
 * life, in which test databases (and {@link LimitedRole}s) are created and dropped: a
 * connection costs the server a process (about 20 ms on a 2-core machine), and every test
 * creates and drops one database.
 */
final class MaintenanceSessions {

	private static final Map<PostgresServer, Connection> sessions = new IdentityHashMap<>();

	private MaintenanceSessions() {
	}

	/**
	 * Run a statement in the server's maintenance session, connecting again when the
	 * session was lost (a server restarted, a connection cut).
	 * @param server the server
	 * @param sql the statement
	 * @throws SQLException when it fails
	 */
	static synchronized void execute(PostgresServer server, String sql) throws SQLException {
		try (Statement statement = session(server).createStatement()) {
			statement.execute(sql);
		}
	}

	/**
	 * Create an empty database. Since PostgreSQL 15, {@code CREATE DATABASE} writes the
	 * copy of {@code template1} through the WAL by default; copying its files takes
	 * about 40 % of that time for the small databases of tests (500 of them per run).
	 * @param server the server
	 * @param name the database's name
	 * @throws SQLException when it fails
	 */
	static synchronized void createDatabase(PostgresServer server, String name) throws SQLException {
		Connection connection = session(server);
		String strategy = (connection.getMetaData().getDatabaseMajorVersion() >= 15) ? " STRATEGY FILE_COPY" : "";
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name + strategy);
		}
	}

	private static Connection session(PostgresServer server) throws SQLException {
		Connection connection = sessions.get(server);
		if (connection == null || !connection.isValid(5)) {
			if (connection != null) {
				closeQuietly(connection);
			}
			connection = server.connectAsAdmin(server.maintenanceDatabase());
			sessions.put(server, connection);
		}
		return connection;
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// already gone
		}
	}

}
