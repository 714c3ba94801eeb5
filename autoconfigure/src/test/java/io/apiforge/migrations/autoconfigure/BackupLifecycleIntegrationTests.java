package io.apiforge.migrations.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flywaydb.core.api.callback.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.events.BackupCompletedEvent;
import io.apiforge.migrations.events.BackupFailedEvent;
import io.apiforge.migrations.events.MigrationCompletedEvent;
import io.apiforge.migrations.events.MigrationFailedEvent;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.BeforeInfoCallback;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups inside the lifecycle: taken with the built-in {@code pg_dump} strategy before
 * migrating, and a failure that stops the migration (or, when asked, does not).
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class BackupLifecycleIntegrationTests {

	@TempDir
	Path backups;

	@Test
	void theBackupIsTakenRecordedAndPublishedBeforeMigrating(TestDatabase database, CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		RecordingEventListener listener = new RecordingEventListener();
		runner(database).withBean(RecordingEventListener.class, () -> listener).run((context) -> {
			assertThat(context).hasNotFailed();
			MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
			BackupRecord backup = status.lastBackup();
			assertThat(backup).isNotNull();
			assertThat(backup.strategy()).isEqualTo("pg-dump");
			assertThat(backup.verified()).isTrue();
			assertThat(Path.of(backup.location())).exists().hasParent(this.backups);
			assertThat(Path.of(backup.location()).getFileName().toString())
				.matches(database.name() + "@[0-9a-f]{8}_\\d{8}T\\d{6}Z_pre-migration_v1_to_v2\\.dump");
			assertThat(backup.kind()).isEqualTo(BackupKind.PRE_MIGRATION);
			assertThat(status.lastRun().backup()).isEqualTo(backup);
		});
		assertThat(listener.events()).extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("MigrationStartedEvent", "BackupCompletedEvent", "MigrationCompletedEvent");
		assertThat(listener.events(BackupCompletedEvent.class).get(0).getBackup().toVersion()).isEqualTo("2");
		assertThat(output).containsPattern("Backup: " + this.backups + "/\\S+_v1_to_v2\\.dump \\(pg-dump, [0-9.]+ m?s\\)\\.");
	}

	@Test
	void aFailedBackupStopsTheLifecycleBeforeAnythingIsMigrated(TestDatabase database) throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		RecordingEventListener listener = new RecordingEventListener();
		Path notADirectory = Files.createFile(this.backups.resolve("not-a-directory"));
		runner(database).withPropertyValues("migrations.backup.directory=" + notADirectory)
			.withBean(RecordingEventListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(BackupException.class)
					.hasMessage("The backup directory " + notADirectory + " is not a directory");
			});
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history ORDER BY installed_rank", String.class))
			.containsExactly("1");
		assertThat(listener.events(BackupFailedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.isMigratingAnyway()).isFalse());
		assertThat(listener.events(MigrationFailedEvent.class)).hasSize(1);
		assertThat(listener.events(MigrationCompletedEvent.class)).isEmpty();
		assertThat(filesIn(this.backups)).containsExactly("not-a-directory");
	}

	@Test
	void aMissingPgDumpFailsTheFirstStartupEvenOnAnEmptyDatabase(TestDatabase database) {
		RecordingEventListener listener = new RecordingEventListener();
		CountingLockProvider lock = new CountingLockProvider();
		runner(database).withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=/nowhere/pg_dump")
			.withBean(RecordingEventListener.class, () -> listener)
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(BackupException.class)
					.hasMessage("No executable pg_dump at /nowhere/pg_dump (migrations.backup.pg-dump.path)");
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(listener.events(MigrationFailedEvent.class)).isEmpty();
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.as("nothing migrated").isEmpty();
	}

	@Test
	void aMissingPgDumpFailsTheStartupWithNothingPending(TestDatabase database) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "2");
		runner(database).withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=/nowhere/pg_dump")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(BackupException.class)
					.hasMessage("No executable pg_dump at /nowhere/pg_dump (migrations.backup.pg-dump.path)");
			});
	}

	@Test
	void aPgDumpOlderThanTheServerIsOnlyAWarningWithNothingPending(TestDatabase database, CapturedOutput output)
			throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "2");
		Path pgDump = oldPgDump();
		runner(database).withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=" + pgDump)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().schema().currentVersion())
					.isEqualTo("2");
			});
		// Closing the context waited for the check.
		assertThat(output).contains("WARN")
			.contains("Backups will fail: nothing was pending at start-up, so nothing needed one, but the next "
					+ "migration or rollback will stop before it changes anything. pg_dump 9.6 at " + pgDump
					+ " is older than the PostgreSQL")
			.contains("newer major version. Action: Install PostgreSQL");
	}

	@Test
	void aPgDumpOlderThanTheServerRefusesPendingMigrationsBeforeTheLock(TestDatabase database) throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		Path pgDump = oldPgDump();
		CountingLockProvider lock = new CountingLockProvider();
		runner(database).withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=" + pgDump)
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(BackupException.class)
					.hasMessageStartingWith("pg_dump 9.6 at " + pgDump + " is older than the PostgreSQL");
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(database.jdbc()
			.queryForObject("SELECT max(version) FROM public.flyway_schema_history WHERE success", String.class))
			.isEqualTo("1");
	}

	@Test
	void withNothingPendingTheCheckOfPgDumpWaitsUntilTheApplicationIsReady(TestDatabase database) throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "2");
		Path order = this.backups.resolve("order");
		Path pgDump = PgClientWrappers.pgDump(this.backups.resolve("bin"), "exec \"$REAL_PG_DUMP\" \"$@\"");
		PgClientWrappers.script(pgDump, "if [ \"$1\" = --version ]; then echo check >> '" + order + "'; fi\n"
				+ "exec '" + PgClientWrappers.real("pg_dump") + "' \"$@\"");
		try (WebApplication application = WebApplication.start(database,
				new Class<?>[] { SlowRunnerConfiguration.class }, "spring.flyway.locations=classpath:db/basic",
				"migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=" + pgDump,
				"migrations.backup.directory=" + this.backups, "test.order-file=" + order)) {
			Eventually.await("the backup's check", () -> lines(order).size() == 2);
			assertThat(lines(order)).containsExactly("runner", "check");
		}
	}

	/** A pg_dump that says it is 9.6, older than any server the tests run. */
	private Path oldPgDump() throws Exception {
		Path pgDump = PgClientWrappers.pgDump(this.backups.resolve("bin"), "exec \"$REAL_PG_DUMP\" \"$@\"");
		return PgClientWrappers.script(pgDump, "if [ \"$1\" = --version ]; then echo 'pg_dump (PostgreSQL) 9.6.24'; "
				+ "exit 0; fi\nexec '" + PgClientWrappers.real("pg_dump") + "' \"$@\"");
	}

	private static List<String> lines(Path file) {
		try {
			return Files.exists(file) ? Files.readAllLines(file) : List.of();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Test
	void theInspectionDoesNotWaitForTheCheckOfPgDumpButTheLockDoes(TestDatabase database) throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		Path bin = this.backups.resolve("bin");
		Path checked = this.backups.resolve("checked");
		Path pgDump = PgClientWrappers.pgDump(bin, "exec \"$REAL_PG_DUMP\" \"$@\"");
		PgClientWrappers.script(pgDump, "if [ \"$1\" = --version ]; then sleep 2; touch '" + checked + "'; fi\n" + "exec '"
				+ PgClientWrappers.real("pg_dump") + "' \"$@\"");
		List<Boolean> checkedAtInfo = new CopyOnWriteArrayList<>();
		List<Boolean> checkedAtLock = new CopyOnWriteArrayList<>();
		Callback info = new BeforeInfoCallback("checked-at-info") {

			@Override
			protected void beforeInfo(org.flywaydb.core.api.callback.Context context) {
				checkedAtInfo.add(Files.exists(checked));
			}

		};
		CountingLockProvider counting = new CountingLockProvider();
		MigrationLockProvider lock = (dataSource, name, timeout) -> {
			checkedAtLock.add(Files.exists(checked));
			return counting.acquire(dataSource, name, timeout);
		};
		runner(database).withPropertyValues("migrations.backup.pg-dump.path=" + pgDump)
			.withBean(Callback.class, () -> info)
			.withBean(MigrationLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastBackup()).isNotNull();
			});
		assertThat(checkedAtInfo).as("the first inspection ran while pg_dump was being checked").startsWith(false);
		assertThat(checkedAtLock).as("the lock waited for the check").containsExactly(true);
	}

	@Test
	void onADatabaseWithoutHistoryTheCheckOfPgDumpRunsWhileTheSchemaIsInspected(TestDatabase database)
			throws Exception {
		Path started = this.backups.resolve("started");
		Path pgDump = PgClientWrappers.pgDump(this.backups.resolve("bin"), "exec \"$REAL_PG_DUMP\" \"$@\"");
		PgClientWrappers.script(pgDump, "if [ \"$1\" = --version ]; then touch '" + started + "'; sleep 1; fi\n"
				+ "exec '" + PgClientWrappers.real("pg_dump") + "' \"$@\"");
		List<Boolean> startedAtInfo = new CopyOnWriteArrayList<>();
		Callback info = new BeforeInfoCallback("started-at-info") {

			@Override
			protected void beforeInfo(org.flywaydb.core.api.callback.Context context) {
				// Given time to start, a check started only after the inspection never does.
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				while (!Files.exists(started) && System.nanoTime() < deadline) {
					Thread.onSpinWait();
				}
				startedAtInfo.add(Files.exists(started));
			}

		};
		runner(database).withPropertyValues("migrations.backup.pg-dump.path=" + pgDump)
			.withBean(Callback.class, () -> info)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(startedAtInfo).as("the check had started when the schema was first inspected").startsWith(true);
	}

	@Test
	void theStartupSaysHowBackupsWillBeTaken(TestDatabase database, CapturedOutput output) {
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Backups before migrations and rollbacks: pg-dump (custom format, whole database");
	}

	@Test
	void onFailureContinueMigratesWithoutABackupAndSaysSo(TestDatabase database, CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		RecordingEventListener listener = new RecordingEventListener();
		runner(database)
			.withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=/nowhere/pg_dump",
					"migrations.backup.on-failure=continue")
			.withBean(RecordingEventListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().schema().currentVersion())
					.isEqualTo("2");
			});
		assertThat(listener.events(BackupFailedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.isMigratingAnyway()).isTrue());
		assertThat(output).contains("WARN")
			.contains("Migrating WITHOUT a backup because migrations.backup.on-failure=continue. The backup failed: "
					+ "No executable pg_dump at /nowhere/pg_dump");
	}

	@Test
	void strategyNoneMigratesWithoutABackupAndSaysSo(TestDatabase database, CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		runner(database).withPropertyValues("migrations.backup.strategy=none")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(filesIn(this.backups)).isEmpty();
		assertThat(output).contains("No backup taken before migrating to version 2 (migrations.backup.strategy=none)");
	}

	@Test
	void replicasStartingTogetherTakeExactlyOneBackup(TestDatabase database) throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/slow", "1");
		ApplicationContextRunner runner = MigrationsContextRunner.withDefaults(database, "classpath:db/slow")
			.withPropertyValues("migrations.backup.directory=" + this.backups, "migrations.lock.retry-interval=50ms");
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Void>> replicas = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			replicas.add(CompletableFuture.runAsync(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				runner.run((context) -> assertThat(context).hasNotFailed());
			}));
		}
		start.countDown();
		for (CompletableFuture<Void> replica : replicas) {
			replica.get(60, TimeUnit.SECONDS);
		}
		assertThat(filesIn(this.backups)).filteredOn((name) -> name.endsWith(".dump")).hasSize(1);
	}

	@Test
	void keepLastBelowOneIsRefusedNamingTheProperty(TestDatabase database) {
		runner(database).withPropertyValues("migrations.backup.retention.keep-last=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("Property migrations.backup.retention.keep-last with value '0' is invalid: "
						+ "It must be at least 1")
				.hasMessageContaining("migrations.backup.strategy=none");
		});
	}

	private ApplicationContextRunner runner(TestDatabase database) {
		return MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + this.backups);
	}

	private static List<String> filesIn(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).toList();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowRunnerConfiguration {

		/** Runs after the refresh and before the application is ready. */
		@Bean
		CommandLineRunner slowRunner(Environment environment) {
			return (args) -> {
				Thread.sleep(1000);
				Files.writeString(Path.of(environment.getRequiredProperty("test.order-file")), "runner\n",
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			};
		}

	}

}
