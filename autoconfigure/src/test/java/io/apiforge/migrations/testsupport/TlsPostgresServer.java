package io.apiforge.migrations.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A second embedded PostgreSQL that accepts its test role over TLS only
 * ({@code hostssl} in {@code pg_hba.conf}, no {@code host} line), with a server
 * certificate for {@code localhost} signed by a throw-away CA that {@code openssl}
 * generates for each start. A second, unrelated CA is there to be wrong. Only zonky's
 * own {@code postgres} superuser, which it uses to check the server is up, may connect
 * without TLS.
 */
public final class TlsPostgresServer implements AutoCloseable {

	/** The role the tests connect as; the server refuses it without TLS. */
	public static final String USER = "tls_user";

	/** The database the role owns. */
	public static final String DATABASE = "tls_app";

	private static final String HBA = """
			local all all trust
			host all postgres 127.0.0.1/32 trust
			host all postgres ::1/128 trust
			hostssl all all 127.0.0.1/32 scram-sha-256
			hostssl all all ::1/128 scram-sha-256
			""";

	private final EmbeddedPostgres postgres;

	private final Path directory;

	private final String password;

	private TlsPostgresServer(EmbeddedPostgres postgres, Path directory, String password) {
		this.postgres = postgres;
		this.directory = directory;
		this.password = password;
	}

	/**
	 * Generate the certificates in a directory and start the server.
	 * @param directory where the certificates go
	 * @return the server
	 */
	public static TlsPostgresServer start(Path directory) {
		try {
			generateCertificates(directory);
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setPGStartupWait(Duration.ofSeconds(60))
				.setServerConfig("fsync", "off")
				.setServerConfig("ssl", "on")
				.setServerConfig("ssl_cert_file", directory.resolve("server.crt").toString())
				.setServerConfig("ssl_key_file", directory.resolve("server.key").toString())
				.setServerConfig("ssl_ca_file", directory.resolve("ca.crt").toString())
				.setDataDirectoryCustomizer((data) -> {
					try {
						Files.writeString(data.toPath().resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				})
				.start();
			String password = UUID.randomUUID().toString();
			try (Connection connection = postgres.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "'");
				statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
			}
			return new TlsPostgresServer(postgres, directory, password);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the TLS-only embedded PostgreSQL server", ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create the TLS test role", ex);
		}
	}

	private static void generateCertificates(Path directory) throws IOException {
		Files.createDirectories(directory);
		String ec = "ec -pkeyopt ec_paramgen_curve:prime256v1";
		openssl(directory, "req -x509 -newkey " + ec + " -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=Test-CA");
		openssl(directory,
				"req -x509 -newkey " + ec + " -nodes -keyout other-ca.key -out other-ca.crt -days 2 -subj /CN=Other-CA");
		openssl(directory, "req -newkey " + ec + " -nodes -keyout server.key -out server.csr -subj /CN=localhost");
		Files.writeString(directory.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
		openssl(directory, "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 "
				+ "-extfile san.ext");
		// The server refuses a key that others can read.
		Files.setPosixFilePermissions(directory.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
	}

	/**
	 * Run {@code openssl} in a directory.
	 * @param directory the working directory
	 * @param arguments its arguments, separated by spaces
	 * @throws IOException when it fails
	 */
	public static void openssl(Path directory, String arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(arguments.split(" ")));
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (process.waitFor() != 0) {
				throw new IOException("openssl " + arguments + " failed: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	public int port() {
		return this.postgres.getPort();
	}

	public String password() {
		return this.password;
	}

	/** The CA that signed the server's certificate (PEM). */
	public Path caCertificate() {
		return this.directory.resolve("ca.crt");
	}

	/** A CA that did not sign it (PEM). */
	public Path otherCaCertificate() {
		return this.directory.resolve("other-ca.crt");
	}

	/** The key of the CA, to sign client certificates with. */
	public Path caKey() {
		return this.directory.resolve("ca.key");
	}

	/**
	 * Return a URL of the role's database.
	 * @param parameters the URL's parameters, without {@code ?}
	 * @return the URL
	 */
	public String jdbcUrl(String parameters) {
		return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE + (parameters.isEmpty() ? "" : "?" + parameters);
	}

	/**
	 * Connect as zonky's superuser (over TLS, as the driver prefers it), to watch the
	 * server.
	 * @return a connection
	 * @throws SQLException when it cannot connect
	 */
	public Connection connectAsSuperuser() throws SQLException {
		return this.postgres.getPostgresDatabase().getConnection();
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
