package io.apiforge.migrations.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server run from zonky's embedded binaries: no Docker and no installation
 * needed. Tuned for throw-away data: no fsync. Tests connect over TCP as an admin role
 * with a generated password ({@code scram-sha-256}), as they would to a real server.
 *
 * @author apiforge
 */
final class EmbeddedPostgresServer implements PostgresServer {

	private static final String ADMIN = "migrations_admin";

	private static final String HBA = """
			local all all trust
			host all postgres 127.0.0.1/32 trust
			host all postgres ::1/128 trust
			host all all 127.0.0.1/32 scram-sha-256
			host all all ::1/128 scram-sha-256
			""";

	private final EmbeddedPostgres postgres;

	private final String adminPassword;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, String adminPassword) {
		this.postgres = postgres;
		this.adminPassword = adminPassword;
	}

	/**
	 * Start a server.
	 * @param majorVersion the major version asked for, or {@code null} for the binaries
	 * on the classpath
	 * @return the server
	 */
	static EmbeddedPostgresServer start(@Nullable Integer majorVersion) {
		if (RootCheck.isRootWithoutUserNamespaces()) {
			throw new IllegalStateException("PostgreSQL refuses to run as root, so the embedded test server cannot start "
					+ "under uid 0 on this machine: it does not allow the user namespace ('unshare -U') in which zonky "
					+ "starts the server as another user. Run the tests as a normal user, allow user namespaces "
					+ "(sysctl user.max_user_namespaces above 0; in a container, a seccomp profile that permits unshare), "
					+ "use Testcontainers (" + PostgresServers.KIND_VARIABLE + "=testcontainers), or name a running "
					+ "server with " + PostgresServers.JDBC_URL_VARIABLE + " (and " + PostgresServers.USERNAME_VARIABLE
					+ ", " + PostgresServers.PASSWORD_VARIABLE + ").");
		}
		EmbeddedBinaries binaries = new EmbeddedBinaries(majorVersion);
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.setServerConfig("full_page_writes", "off")
				.setServerConfig("max_connections", "300")
				.setDataDirectoryCustomizer(EmbeddedPostgresServer::requirePasswords);
			if (majorVersion != null) {
				builder.setPgBinaryResolver(binaries);
			}
			EmbeddedPostgres postgres = builder.start();
			String password = UUID.randomUUID().toString();
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE ROLE " + ADMIN + " LOGIN CREATEDB CREATEROLE PASSWORD '" + password + "'");
			}
			return new EmbeddedPostgresServer(postgres, password);
		}
		catch (IOException | RuntimeException | ExceptionInInitializerError ex) {
			// zonky wraps what the resolver throws (in an ExceptionInInitializerError): say
			// what was missing, not how it surfaced.
			String missing = binaries.failure();
			if (missing != null) {
				throw new IllegalStateException(missing, ex);
			}
			throw new IllegalStateException("Could not start the embedded PostgreSQL server: " + ex.getMessage(), ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the test admin role on the embedded PostgreSQL server", ex);
		}
	}

	private static void requirePasswords(File dataDirectory) {
		try {
			Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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
		return ADMIN;
	}

	@Override
	public @Nullable String adminPassword() {
		return this.adminPassword;
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
