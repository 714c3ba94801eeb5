package io.apiforge.sample.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Starts zonky's embedded PostgreSQL on a fixed port with its data in a kept directory:
 * the first start creates the cluster, later starts reuse it. As root it runs the server
 * in a user namespace (zonky does, where the kernel allows it); where it cannot, it
 * refuses to try, with a message that names the ways out.
 *
 * @author apiforge
 */
class EmbeddedPostgresLauncher {

	/** The superuser zonky's cluster is created with; it needs no password locally. */
	static final String USER = "postgres";

	private static final Log logger = LogFactory.getLog(EmbeddedPostgresLauncher.class);

	private final BooleanSupplier rootWithoutUserNamespaces;

	EmbeddedPostgresLauncher() {
		this(RootUser::isRootWithoutUserNamespaces);
	}

	EmbeddedPostgresLauncher(BooleanSupplier rootWithoutUserNamespaces) {
		Assert.notNull(rootWithoutUserNamespaces, "'rootWithoutUserNamespaces' must not be null");
		this.rootWithoutUserNamespaces = rootWithoutUserNamespaces;
	}

	/**
	 * Start the server.
	 * @param properties where its data lives and which port it listens on
	 * @return the running server; closing it stops the server and keeps the data
	 * @throws EmbeddedDatabaseException when the server cannot start
	 */
	EmbeddedPostgres start(EmbeddedDatabaseProperties properties) {
		Path directory = properties.getDataDirectory().toAbsolutePath().normalize();
		int port = properties.getPort();
		if (this.rootWithoutUserNamespaces.getAsBoolean()) {
			throw new EmbeddedDatabaseException(
					"PostgreSQL refuses to run as root, so the embedded database cannot start: this process runs as "
							+ "root (uid 0), and this machine does not allow the user namespace ('unshare -U') that "
							+ "would let it start the server as another user.",
					"Run the application as a normal user, allow user namespaces (sysctl user.max_user_namespaces "
							+ "above 0; in a container, a seccomp profile that permits unshare), or set "
							+ "spring.datasource.url (with "
							+ "spring.datasource.username and spring.datasource.password) to use a PostgreSQL server "
							+ "that runs elsewhere.",
					null);
		}
		requireFreePort(port);
		boolean existing = Files.isRegularFile(directory.resolve("PG_VERSION"));
		EmbeddedPostgres postgres;
		try {
			postgres = EmbeddedPostgres.builder()
				.setDataDirectory(directory)
				.setCleanDataDirectory(false)
				.setPort(port)
				.setRegisterShutdownHook(false)
				.setPGStartupWait(Duration.ofSeconds(60))
				.start();
		}
		catch (IOException | RuntimeException ex) {
			throw new EmbeddedDatabaseException(
					"The embedded PostgreSQL could not start on port " + port + " with its data in " + directory + ": "
							+ ex.getMessage(),
					"Check that no other instance of this application uses " + directory
							+ " (or set sample.embedded.data-directory to another directory) and read the server's "
							+ "messages above. To start over with an empty database, stop the application and delete "
							+ directory + ".",
					ex);
		}
		logger.info("Embedded PostgreSQL started on port " + port + " with " + (existing ? "existing" : "new")
				+ " data in " + directory + ": " + jdbcUrl(port) + " (user " + USER + "). Connect with: psql -h localhost -p "
				+ port + " -U " + USER);
		return postgres;
	}

	/**
	 * Fail when something listens on the port already: the embedded server could not
	 * listen there, and zonky's start-up check would either wait forever on a stranger
	 * or, worse, connect to another PostgreSQL and take it for its own.
	 */
	private static void requireFreePort(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		}
		catch (IOException ex) {
			throw new EmbeddedDatabaseException(
					"Port " + port + " is already in use, so the embedded PostgreSQL cannot listen on it.",
					"Stop whatever listens on port " + port + " (another instance of this application?), set "
							+ "sample.embedded.port to a free port, or set spring.datasource.url to use a PostgreSQL "
							+ "server that runs already.",
					ex);
		}
	}

	static String jdbcUrl(int port) {
		return "jdbc:postgresql://localhost:" + port + "/postgres";
	}

}
