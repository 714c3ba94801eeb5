package io.apiforge.migrations.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Testcontainers server, where a Docker engine is available (CI has none: there the
 * embedded server is proven instead).
 */
@EnabledIf("dockerIsAvailable")
class ContainerPostgresServerTests {

	@Test
	void aContainerServerHostsTestDatabases() {
		try (PostgresServer server = ContainerPostgresServer.start(ContainerPostgresServer.DEFAULT_IMAGE);
				TestDatabase database = TestDatabase.create(server)) {
			assertThat(database.jdbc().queryForObject("SHOW server_version_num", Integer.class) / 10000).isEqualTo(15);
		}
	}

	static boolean dockerIsAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
