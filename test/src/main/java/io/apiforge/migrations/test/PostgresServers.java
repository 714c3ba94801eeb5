package io.apiforge.migrations.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Chooses and starts the PostgreSQL server tests run against, from the environment:
 * <ul>
 * <li>{@value #JDBC_URL_VARIABLE} set: that server ({@value #USERNAME_VARIABLE} and
 * {@value #PASSWORD_VARIABLE} for its credentials; the user must be allowed to create
 * databases);</li>
 * <li>otherwise, when Testcontainers ({@code org.testcontainers:testcontainers-postgresql})
 * is on the classpath and a Docker engine answers ({@code DOCKER_HOST}, a Docker socket,
 * or {@code ~/.testcontainers.properties} is there, and Testcontainers reaches it): a
 * container ({@value #IMAGE_VARIABLE}
 * picks the image, {@code postgres:<version>-alpine} by default);</li>
 * <li>otherwise: zonky's embedded server, which needs neither Docker nor an
 * installation.</li>
 * </ul>
 * {@value #KIND_VARIABLE} ({@code embedded}, {@code testcontainers} or {@code external})
 * makes the choice instead. The major version is the one a test asks for
 * ({@link MigrationsExtension#postgresVersion(int)}), else {@value #VERSION_VARIABLE};
 * a server of another major version is refused, so that tests run on what production
 * runs.
 *
 * @author apiforge
 */
public final class PostgresServers {

	/** The kind of server: {@code embedded}, {@code testcontainers} or {@code external}. */
	public static final String KIND_VARIABLE = "MIGRATIONS_TEST_POSTGRES";

	/** The PostgreSQL major version the tests need, such as {@code 16}. */
	public static final String VERSION_VARIABLE = "MIGRATIONS_TEST_POSTGRES_VERSION";

	/** The JDBC URL of an external server, such as {@code jdbc:postgresql://db:5432/postgres}. */
	public static final String JDBC_URL_VARIABLE = "MIGRATIONS_TEST_JDBC_URL";

	/** The user of an external server; {@code postgres} unless set. */
	public static final String USERNAME_VARIABLE = "MIGRATIONS_TEST_USERNAME";

	/** The password of an external server's user. */
	public static final String PASSWORD_VARIABLE = "MIGRATIONS_TEST_PASSWORD";

	/** The container image, such as {@code postgres:16-alpine}. */
	public static final String IMAGE_VARIABLE = "MIGRATIONS_TEST_IMAGE";

	/** The major version of the container image when none is asked for. */
	static final int DEFAULT_CONTAINER_VERSION = 17;

	private static final String TESTCONTAINERS = "org.testcontainers.postgresql.PostgreSQLContainer";

	private PostgresServers() {
	}

	/**
	 * The kinds of server tests can run against.
	 */
	public enum Kind {

		/** zonky's embedded server. */
		EMBEDDED,

		/** A Testcontainers container. */
		TESTCONTAINERS,

		/** A server named by {@value PostgresServers#JDBC_URL_VARIABLE}. */
		EXTERNAL

	}

	/**
	 * Start the server the environment asks for.
	 * @param majorVersion the major version the test asks for, or {@code null} for the
	 * one {@value #VERSION_VARIABLE} names, if any
	 * @return the server, checked to be of the major version asked for; the caller closes
	 * it
	 */
	public static PostgresServer start(@Nullable Integer majorVersion) {
		return start(System.getenv(), majorVersion);
	}

	static PostgresServer start(Map<String, String> environment, @Nullable Integer majorVersion) {
		Integer version = majorVersion(environment, majorVersion);
		PostgresServer server = switch (kind(environment)) {
			case EMBEDDED -> EmbeddedPostgresServer.start(version);
			case TESTCONTAINERS -> container(environment, version);
			case EXTERNAL -> external(environment);
		};
		if (version != null) {
			try {
				requireVersion(server, version);
			}
			catch (RuntimeException ex) {
				server.close();
				throw ex;
			}
		}
		return server;
	}

	/**
	 * Return the major version of a server.
	 * @param server the server
	 * @return such as {@code 15}
	 */
	static int majorVersion(PostgresServer server) {
		try (Connection connection = server.connectAsAdmin(server.maintenanceDatabase());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
			result.next();
			return result.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the version of " + server.description() + ": "
					+ ex.getMessage(), ex);
		}
	}

	private static void requireVersion(PostgresServer server, int version) {
		int actual = majorVersion(server);
		if (actual != version) {
			throw new IllegalStateException("PostgreSQL " + version + " was asked for, but " + server.description()
					+ " is PostgreSQL " + actual + ". Point " + JDBC_URL_VARIABLE + " at a server of version " + version
					+ ", or set " + IMAGE_VARIABLE + " to an image of it (such as postgres:" + version
					+ "-alpine), or ask for version " + actual + ".");
		}
	}

	static @Nullable Integer majorVersion(Map<String, String> environment, @Nullable Integer asked) {
		if (asked != null) {
			return asked;
		}
		String version = environment.get(VERSION_VARIABLE);
		if (version == null || version.isBlank()) {
			return null;
		}
		try {
			return Integer.valueOf(version.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(VERSION_VARIABLE + " must be a PostgreSQL major version such as 16, "
					+ "but was '" + version + "'", ex);
		}
	}

	static Kind kind(Map<String, String> environment) {
		String kind = environment.get(KIND_VARIABLE);
		if (kind == null || kind.isBlank()) {
			if (environment.containsKey(JDBC_URL_VARIABLE)) {
				return Kind.EXTERNAL;
			}
			return (ClassUtils.isPresent(TESTCONTAINERS, PostgresServers.class.getClassLoader())
					&& mayHaveDocker(environment) && ContainerPostgresServer.dockerIsAvailable()) ? Kind.TESTCONTAINERS
							: Kind.EMBEDDED;
		}
		try {
			return Kind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					KIND_VARIABLE + " must be one of embedded, testcontainers, external, but was '" + kind + "'", ex);
		}
	}

	/**
	 * Return whether a Docker engine may answer: asking Testcontainers where none does
	 * takes time and logs errors, so look for the usual signs first.
	 */
	static boolean mayHaveDocker(Map<String, String> environment) {
		if (environment.containsKey("DOCKER_HOST")) {
			return true;
		}
		String home = System.getProperty("user.home");
		List<Path> signs = new ArrayList<>(List.of(Path.of("/var/run/docker.sock"), Path.of(home, ".docker/run/docker.sock"),
				Path.of(home, ".testcontainers.properties"), Path.of(home, ".colima/default/docker.sock"),
				Path.of(home, ".rd/docker.sock")));
		String runtime = environment.get("XDG_RUNTIME_DIR");
		if (runtime != null) {
			signs.add(Path.of(runtime, "docker.sock"));
		}
		return signs.stream().anyMatch(Files::exists);
	}

	private static PostgresServer container(Map<String, String> environment, @Nullable Integer version) {
		if (!ClassUtils.isPresent(TESTCONTAINERS, PostgresServers.class.getClassLoader())) {
			throw new IllegalStateException(KIND_VARIABLE + "=testcontainers needs Testcontainers: add "
					+ "org.testcontainers:testcontainers-postgresql as a test dependency, or use the embedded server ("
					+ KIND_VARIABLE + "=embedded).");
		}
		String image = environment.getOrDefault(IMAGE_VARIABLE,
				"postgres:" + ((version != null) ? version : DEFAULT_CONTAINER_VERSION) + "-alpine");
		return ContainerPostgresServer.start(image);
	}

	private static PostgresServer external(Map<String, String> environment) {
		String url = environment.get(JDBC_URL_VARIABLE);
		if (url == null || url.isBlank()) {
			throw new IllegalArgumentException(KIND_VARIABLE + "=external needs " + JDBC_URL_VARIABLE
					+ " to name the server, such as jdbc:postgresql://localhost:5432/postgres");
		}
		return new ExternalPostgresServer(url, environment.getOrDefault(USERNAME_VARIABLE, "postgres"),
				environment.get(PASSWORD_VARIABLE));
	}

}
