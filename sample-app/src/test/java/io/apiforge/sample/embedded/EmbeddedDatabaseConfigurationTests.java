package io.apiforge.sample.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.sample.SampleApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With no {@code spring.datasource.url}, the application starts its own PostgreSQL with
 * its data in a kept directory: the first start migrates it, the next one finds it done.
 */
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseConfigurationTests {

	@Test
	void withoutADataSourceUrlTheApplicationMigratesItsOwnServerAndASecondStartFindsItDone(@TempDir Path temp,
			CapturedOutput output) throws IOException {
		Path dataDirectory = temp.resolve("sample-data");
		int port = freePort();
		try (ConfigurableApplicationContext context = start(dataDirectory, port)) {
			assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).hasSize(1);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForObject("SELECT max(version) FROM flyway_schema_history WHERE success",
					String.class))
				.isEqualTo("3");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM usertable WHERE full_name IS NOT NULL",
					Integer.class))
				.isEqualTo(2500);
		}
		assertThat(output).contains("Embedded PostgreSQL started on port " + port + " with new data in "
				+ dataDirectory.toAbsolutePath())
			.contains("jdbc:postgresql://localhost:" + port + "/postgres")
			.contains("psql -h localhost -p " + port + " -U postgres")
			.contains("Migrated flyway_schema_history from version <none> to 3");
		assertThat(dataDirectory.resolve("PG_VERSION")).isRegularFile();

		try (ConfigurableApplicationContext context = start(dataDirectory, port)) {
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE version = '3'", Integer.class))
				.isOne();
		}
		assertThat(output).contains("Embedded PostgreSQL started on port " + port + " with existing data in")
			.contains("Schema is up to date at version 3");
	}

	@Test
	void aPortInUseFailsFastWithAMessageThatSaysWhatToDo(@TempDir Path temp) throws IOException {
		try (ServerSocket taken = new ServerSocket(0)) {
			int port = taken.getLocalPort();
			EmbeddedDatabaseProperties properties = properties(temp.resolve("data"), port);
			assertThatExceptionOfType(EmbeddedDatabaseException.class)
				.isThrownBy(() -> new EmbeddedPostgresLauncher(() -> false).start(properties))
				.withMessage("Port " + port + " is already in use, so the embedded PostgreSQL cannot listen on it.")
				.satisfies((ex) -> assertThat(ex.getAction()).contains("sample.embedded.port"));
		}
		assertThat(temp.resolve("data")).doesNotExist();
	}

	@Test
	void runningAsRootFailsFastWithAMessageThatSaysWhatToDo(@TempDir Path temp) {
		EmbeddedDatabaseProperties properties = properties(temp.resolve("data"), 15432);
		assertThatExceptionOfType(EmbeddedDatabaseException.class)
			.isThrownBy(() -> new EmbeddedPostgresLauncher(() -> true).start(properties))
			.withMessage("PostgreSQL refuses to run as root, so the embedded database cannot start: this process "
					+ "runs as root (uid 0).")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("Run the application as a normal user")
				.contains("spring.datasource.url"));
		assertThat(temp.resolve("data")).doesNotExist();
	}

	private static ConfigurableApplicationContext start(Path dataDirectory, int port) {
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.run("--sample.embedded.data-directory=" + dataDirectory, "--sample.embedded.port=" + port);
	}

	private static EmbeddedDatabaseProperties properties(Path dataDirectory, int port) {
		EmbeddedDatabaseProperties properties = new EmbeddedDatabaseProperties();
		properties.setDataDirectory(dataDirectory);
		properties.setPort(port);
		return properties;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
