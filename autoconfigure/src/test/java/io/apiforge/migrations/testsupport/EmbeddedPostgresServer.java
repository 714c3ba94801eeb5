package io.apiforge.migrations.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server run from zonky's embedded binaries: no Docker and no installation
 * needed. Its major version is pinned in the parent pom to match the {@code pg_dump}
 * that CI installs. Tuned for throw-away data: no fsync.
 */
final class EmbeddedPostgresServer implements PostgresServer {

	private final EmbeddedPostgres postgres;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
		this.postgres = postgres;
	}

	static EmbeddedPostgresServer start() {
		if (RootCheck.isRoot()) {
			throw new IllegalStateException("PostgreSQL refuses to run as root, so the embedded test server cannot start "
					+ "under uid 0. Run the tests as a normal user (.ci/run does so: it creates one), or name a running "
					+ "server with " + PostgresServers.JDBC_URL_VARIABLE + " (and " + PostgresServers.USERNAME_VARIABLE
					+ ", " + PostgresServers.PASSWORD_VARIABLE + ").");
		}
		try {
			return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.setServerConfig("full_page_writes", "off")
				.setServerConfig("max_connections", "300")
				.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL server", ex);
		}
	}

	@Override
	public String description() {
		return "embedded PostgreSQL on port " + port();
	}

	@Override
	public String host() {
		return "localhost";
	}

	@Override
	public int port() {
		return this.postgres.getPort();
	}

	@Override
	public String adminUser() {
		return "postgres";
	}

	@Override
	public @Nullable String adminPassword() {
		return null;
	}

	@Override
	public void close() {
		try {
			this.postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
