package io.apiforge.migrations.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A database of its own for one test (or one test class) on the shared
 * {@link PostgresServer}: created empty, dropped afterwards, so that tests never see
 * each other's schema.
 */
public final class TestDatabase implements AutoCloseable {

	private static final String INSUFFICIENT_PRIVILEGE = "42501";

	private final PostgresServer server;

	private final String name;

	private TestDatabase(PostgresServer server, String name) {
		this.server = server;
		this.name = name;
	}

	/**
	 * Create an empty database on the server.
	 * @param server the server
	 * @return the database
	 */
	public static TestDatabase create(PostgresServer server) {
		String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
		try {
			MaintenanceSessions.execute(server, "CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create test database " + name + " on " + server.description(), ex);
		}
		return new TestDatabase(server, name);
	}

	public PostgresServer server() {
		return this.server;
	}

	public String name() {
		return this.name;
	}

	public String jdbcUrl() {
		return this.server.jdbcUrl(this.name);
	}

	public String username() {
		return this.server.adminUser();
	}

	public @Nullable String password() {
		return this.server.adminPassword();
	}

	/**
	 * Return a non-pooled data source on this database.
	 * @return a data source
	 */
	public DataSource dataSource() {
		return new SimpleDriverDataSource(new Driver(), jdbcUrl(), username(), (password() != null) ? password() : "");
	}

	/**
	 * Return a {@link JdbcTemplate} on this database, for setting up and checking data.
	 * @return a template
	 */
	public JdbcTemplate jdbc() {
		return new JdbcTemplate(dataSource());
	}

	/**
	 * Do some set-up or checking on one connection, closed afterwards. A connection costs
	 * the server a process (about 20 ms on a 2-core machine), and {@link #jdbc()} opens
	 * one per statement: helpers that run many statements run them here. Session state
	 * (a {@code SET}, a lock) lasts until the work ends, as it would in one session.
	 * @param <T> what the work returns
	 * @param work the work, given a template on the one connection
	 * @return what the work returned
	 */
	public <T> T inOneSession(Function<JdbcTemplate, T> work) {
		try (Connection connection = dataSource().getConnection()) {
			return work.apply(new JdbcTemplate(new SingleConnectionDataSource(connection, true)));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not connect to " + this.name + " on " + this.server.description(),
					ex);
		}
	}

	/**
	 * Return the Spring Boot properties that point an application at this database.
	 * @return {@code spring.datasource.*} properties as {@code key=value} pairs
	 */
	public String[] springProperties() {
		List<String> properties = new ArrayList<>();
		properties.add("spring.datasource.url=" + jdbcUrl());
		properties.add("spring.datasource.username=" + username());
		if (password() != null) {
			properties.add("spring.datasource.password=" + password());
		}
		return properties.toArray(String[]::new);
	}

	/**
	 * Drop the database, disconnecting whoever is still connected.
	 */
	@Override
	public void close() {
		for (int attempt = 1;; attempt++) {
			try {
				MaintenanceSessions.execute(this.server, "DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
				return;
			}
			catch (SQLException ex) {
				// A connection still starting up (a pool refilling itself as the application
				// closes) has no role yet, and FORCE may not terminate it; a child JVM's
				// session may outlive its process while it finishes a statement on a loaded
				// machine: try again, for up to a minute.
				if (!INSUFFICIENT_PRIVILEGE.equals(ex.getSQLState()) || attempt == 600) {
					throw new IllegalStateException("Could not drop test database " + this.name, ex);
				}
				sleepQuietly();
			}
		}
	}

	private static void sleepQuietly() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return this.name + " on " + this.server.description();
	}

}
