package io.apiforge.sample.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.env.MockEnvironment;

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
	void upgradingTheDemoDatabaseBacksItUpAndWithoutPgDumpBacksUpOverJdbc(@TempDir Path temp,
			CapturedOutput output) throws IOException {
		Path dataDirectory = temp.resolve("sample-data");
		Path backups = temp.resolve("backups");
		int port = freePort();
		start(dataDirectory, port, "--spring.flyway.target=1.1").close();
		start(dataDirectory, port, "--spring.flyway.target=2", "--migrations.backup.directory=" + backups).close();
		assertThat(backups).isDirectoryContaining("regex:.*/postgres@[0-9a-f]{8}_\\d{8}T\\d{6}Z_pre-migration_v1\\.1_to_v2\\.dump");
		try (ConfigurableApplicationContext context = start(dataDirectory, port,
				"--migrations.backup.pg-dump.path=/nowhere/pg_dump", "--migrations.backup.directory=" + backups)) {
			assertThat(new JdbcTemplate(context.getBean(DataSource.class))
				.queryForObject("SELECT max(version) FROM flyway_schema_history WHERE success", String.class))
				.isEqualTo("3");
		}
		assertThat(output).contains("Backups (migrations.backup.strategy=auto): jdbc, a dump over the application's "
				+ "connection, because there is no compatible pg_dump: No executable pg_dump at /nowhere/pg_dump");
		assertThat(backups).isDirectoryContaining("regex:.*/postgres@[0-9a-f]+_\\d{8}T\\d{6}Z_pre-migration_v2_to_v3\\.sql\\.gz");
	}

	@Test
	void theDatabaseProfileStartsTheServerForOtherInstancesAndMigratesNothing(@TempDir Path temp) throws IOException {
		int port = freePort();
		try (ConfigurableApplicationContext context = start(temp.resolve("sample-data"), port,
				"--spring.profiles.active=database")) {
			assertThat(context.getBeanNamesForType(Flyway.class)).isEmpty();
			JdbcTemplate otherInstance = new JdbcTemplate(
					new DriverManagerDataSource("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", ""));
			assertThat(otherInstance.queryForObject("SELECT to_regclass('flyway_schema_history') IS NULL",
					Boolean.class))
				.as("the server is up, and left for the applications to migrate")
				.isTrue();
		}
	}

	@Test
	void theDemoDefaultsApplyOnlyWithoutADataSourceUrlAndNeverOverrideTheUser() {
		EmbeddedDemoDefaultsEnvironmentPostProcessor postProcessor = new EmbeddedDemoDefaultsEnvironmentPostProcessor();
		MockEnvironment embedded = new MockEnvironment();
		postProcessor.postProcessEnvironment(embedded, new SpringApplication());
		assertThat(embedded.getProperty("migrations.backup.on-failure")).isEqualTo("continue");
		MockEnvironment realServer = new MockEnvironment().withProperty("spring.datasource.url",
				"jdbc:postgresql://db/app");
		postProcessor.postProcessEnvironment(realServer, new SpringApplication());
		assertThat(realServer.getProperty("migrations.backup.on-failure")).isNull();
		MockEnvironment userSet = new MockEnvironment().withProperty("migrations.backup.on-failure", "abort");
		postProcessor.postProcessEnvironment(userSet, new SpringApplication());
		assertThat(userSet.getProperty("migrations.backup.on-failure")).isEqualTo("abort");
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
	void runningAsRootWithoutUserNamespacesFailsFastWithAMessageThatSaysWhatToDo(@TempDir Path temp) {
		EmbeddedDatabaseProperties properties = properties(temp.resolve("data"), 15432);
		assertThatExceptionOfType(EmbeddedDatabaseException.class)
			.isThrownBy(() -> new EmbeddedPostgresLauncher(() -> true).start(properties))
			.withMessage("PostgreSQL refuses to run as root, so the embedded database cannot start: this process "
					+ "runs as root (uid 0), and this machine does not allow the user namespace ('unshare -U') that "
					+ "would let it start the server as another user.")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("Run the application as a normal user")
				.contains("user.max_user_namespaces")
				.contains("spring.datasource.url"));
		assertThat(temp.resolve("data")).doesNotExist();
	}

	private static ConfigurableApplicationContext start(Path dataDirectory, int port, String... arguments) {
		List<String> all = new ArrayList<>(
				List.of("--sample.embedded.data-directory=" + dataDirectory, "--sample.embedded.port=" + port));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.run(all.toArray(String[]::new));
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
