package io.apiforge.sample.benchmark;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import io.apiforge.migrations.testsupport.PostgresServer;

/**
 * A database created from a template ({@code CREATE DATABASE … TEMPLATE …}, a file copy),
 * dropped when closed: the large database of the backup case, back as it was before each
 * start. The template must have no session open while it is copied.
 *
 * @author apiforge
 */
final class DatabaseCopy implements AutoCloseable {

	private final PostgresServer server;

	private final String name;

	private DatabaseCopy(PostgresServer server, String name) {
		this.server = server;
		this.name = name;
	}

	static DatabaseCopy of(PostgresServer server, String template) {
		String name = "copy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
		execute(server, "CREATE DATABASE " + name + " TEMPLATE " + template + " STRATEGY FILE_COPY");
		return new DatabaseCopy(server, name);
	}

	String name() {
		return this.name;
	}

	String jdbcUrl() {
		return this.server.jdbcUrl(this.name);
	}

	@Override
	public void close() {
		execute(this.server, "DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
	}

	private static void execute(PostgresServer server, String sql) {
		try (Connection connection = server.connectAsAdmin(server.maintenanceDatabase());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql + " on " + server.description(), ex);
		}
	}

}
