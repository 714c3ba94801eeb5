package io.apiforge.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;
import io.apiforge.sample.migration.V3__FillFullName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The executable jar run the way a Kubernetes Job runs it, with
 * {@code --migrations.mode=migrate-and-exit}: it migrates, then exits with a code that
 * says whether that worked, and never starts the web server. Runs after {@code package},
 * by failsafe.
 */
@WithPostgres
class MigrateAndExitJarIntegrationTests {

	private static final long TIMEOUT_SECONDS = 120;

	@Test
	void migratesToVersion3AndExitsWithZeroWithoutStartingTheWebServer(TestDatabase database, @TempDir Path temp)
			throws Exception {
		JarRun run = runJar(database, temp);
		run.check(() -> {
			assertThat(run.exitCode()).as("exit code").isZero();
			assertThat(run.output()).contains("Migrated flyway_schema_history from version <none> to 3")
				.contains("exiting with code 0")
				.doesNotContain("Tomcat started")
				.doesNotContainIgnoringCase("started on port");
			assertThat(currentVersion(database)).isEqualTo("3");
			assertThat(database.jdbc().queryForObject("SELECT count(*) FROM usertable", Integer.class))
				.isEqualTo(2500);
		});
	}

	@Test
	void aBrokenMigrationExitsWithNonZeroNamesTheScriptAndLeavesTheSchemaAtVersion3(TestDatabase database,
			@TempDir Path temp) throws Exception {
		migrateToVersion3(database);
		Path migrations = Files.createDirectory(temp.resolve("migrations"));
		Files.writeString(migrations.resolve("V4__broken.sql"), """
				ALTER TABLE usertable ADD COLUMN nickname TEXT;
				UPDATE usertable SET nickname = no_such_column;
				""");
		JarRun run = runJar(database, temp,
				"--spring.flyway.locations=classpath:db/migration,filesystem:" + migrations.toAbsolutePath());
		run.check(() -> {
			assertThat(run.exitCode()).as("exit code").isEqualTo(1);
			assertThat(run.output()).contains("V4__broken.sql")
				.contains("APPLICATION FAILED TO START")
				.contains("no_such_column")
				.doesNotContain("Tomcat started");
			assertThat(currentVersion(database)).isEqualTo("3");
			assertThat(database.jdbc().queryForObject("SELECT count(*) FROM usertable WHERE full_name IS NOT NULL",
					Integer.class))
				.isEqualTo(2500);
			assertThat(database.jdbc().queryForObject("SELECT count(*) FROM information_schema.columns "
					+ "WHERE table_name = 'usertable' AND column_name = 'nickname'", Integer.class))
				.isZero();
			assertThat(temp.resolve("backups")).as("the backup taken before the failed migration")
				.isDirectoryContaining("regex:.*/[^/]+@[0-9a-f]{8}_\\d{8}T\\d{6}Z_pre-migration_v3_to_v4\\.dump");
		});
	}

	@Test
	void planAndRollbackModesExitWithZeroAndARefusedRollbackExitsWithOne(TestDatabase database,
			@TempDir Path temp) throws Exception {
		// The jar's own migration is the first test's: here Flyway migrates, which saves a launch.
		migrateToVersion3(database);
		JarRun refused = runJar(database, temp, "--migrations.mode=rollback", "--migrations.rollback.target=9");
		refused.check(() -> {
			assertThat(refused.exitCode()).as("exit code").isEqualTo(1);
			assertThat(refused.output()).contains("Rollback to 9 refused, nothing was changed")
				.contains("APPLICATION FAILED TO START")
				.doesNotContain("Tomcat started");
			assertThat(currentVersion(database)).isEqualTo("3");
		});
		JarRun plan = runJar(database, temp, "--migrations.mode=plan", "--migrations.rollback.target=1.1");
		plan.check(() -> {
			assertThat(plan.exitCode()).as("exit code").isZero();
			assertThat(plan.output()).contains("Plan (rollback) for flyway_schema_history: version 3 -> 1.1, 3 steps.")
				.contains("U2__add_user_contact.sql")
				.contains("U2_1__add_full_name.sql")
				.contains("io.apiforge.sample.migration.V3__FillFullName");
			assertThat(currentVersion(database)).as("a plan changes nothing").isEqualTo("3");
		});
		JarRun rolledBack = runJar(database, temp, "--migrations.mode=rollback", "--migrations.rollback.target=1.1");
		rolledBack.check(() -> {
			assertThat(rolledBack.exitCode()).as("exit code").isZero();
			assertThat(rolledBack.output()).contains("Rolled back flyway_schema_history from version 3 to 1.1")
				.contains("exiting with code 0")
				.doesNotContain("Tomcat started");
			assertThat(currentVersion(database)).isEqualTo("1.1");
		});
	}

	private static void migrateToVersion3(TestDatabase database) {
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/migration")
			.javaMigrations(new V3__FillFullName())
			.load()
			.migrate();
	}

	private static String currentVersion(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
					+ "ORDER BY installed_rank DESC LIMIT 1", String.class);
	}

	private static JarRun runJar(TestDatabase database, Path temp, String... extraArguments)
			throws IOException, InterruptedException {
		// C1 only: a short-lived JVM starts about twice as fast without the optimizing compiler
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
		if (Arrays.stream(extraArguments).noneMatch((argument) -> argument.startsWith("--migrations.mode="))) {
			command.add("--migrations.mode=migrate-and-exit");
		}
		Arrays.stream(database.springProperties()).map((property) -> "--" + property).forEach(command::add);
		command.addAll(List.of(extraArguments));
		Path output = temp.resolve("output.log");
		Process process = new ProcessBuilder(command).directory(temp.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			String text = Files.readString(output, StandardCharsets.UTF_8);
			if (!exited) {
				System.err.println(text);
				throw new AssertionError("The jar did not exit within " + TIMEOUT_SECONDS + " s: " + command);
			}
			return new JarRun(process.exitValue(), text);
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static Path jar() {
		String jar = System.getProperty("sample.jar", "target/migrations-sample-app-0.1.0-SNAPSHOT.jar");
		Path path = Path.of(jar).toAbsolutePath();
		assertThat(path).as("the executable jar (run 'package' first)").isRegularFile();
		return path;
	}

	/**
	 * The outcome of one run of the jar.
	 */
	private record JarRun(int exitCode, String output) {

		/**
		 * Run the checks, printing the jar's output when one fails.
		 */
		void check(Runnable checks) {
			try {
				checks.run();
			}
			catch (AssertionError ex) {
				System.err.println("Output of the jar:\n" + this.output);
				throw ex;
			}
		}

	}

}
