package io.apiforge.migrations.backup.pgdump;

import java.util.Locale;

/**
 * A server that refuses a client program's connection because it has too many: the
 * {@code max_connections} of the server, or the {@code CONNECTION LIMIT} of the role or
 * the database. {@code pg_dump --jobs=N} opens N + 1 connections (a leader and N
 * workers) and {@code pg_restore --jobs=N} up to as many, on top of the application's
 * own, so a limit that a single job never reached is reached with several.
 *
 * @author apiforge
 */
final class ConnectionLimit {

	private ConnectionLimit() {
	}

	/**
	 * Return whether a client's output says the server refused a connection for the
	 * number of connections: "too many clients already", "too many connections for role"
	 * or "for database", "remaining connection slots are reserved".
	 * @param output the client's output
	 * @return whether a connection limit was reached
	 */
	static boolean isRefusal(String output) {
		String lower = output.toLowerCase(Locale.ROOT);
		return lower.contains("too many clients") || lower.contains("too many connections")
				|| lower.contains("connection slots are reserved");
	}

	/**
	 * Return what to do when a client was refused for the number of connections.
	 * @param client the client program, {@code pg_dump} or {@code pg_restore}
	 * @param jobs the jobs it ran with
	 * @return the fix
	 */
	static String fix(String client, int jobs) {
		String connections = (jobs > 1)
				? client + " --jobs=" + jobs + " (migrations.backup.jobs) opens up to " + (jobs + 1)
						+ " connections at once, on top of the application's own"
				: client + " needs a connection of its own, on top of the application's";
		return "The server refused a connection: " + connections + ". Lower migrations.backup.jobs, or raise the "
				+ "server's max_connections or the CONNECTION LIMIT of the role or database (ALTER ROLE … CONNECTION "
				+ "LIMIT n), then start again.";
	}

}
