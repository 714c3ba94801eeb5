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
		Connection connection = sessions.get(server);
		if (connection == null || !connection.isValid(5)) {
			if (connection != null) {
				closeQuietly(connection);
			}
			connection = server.connectAsAdmin(server.maintenanceDatabase());
			sessions.put(server, connection);
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
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
