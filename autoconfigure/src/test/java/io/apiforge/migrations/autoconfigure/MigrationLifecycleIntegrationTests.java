package io.apiforge.migrations.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.events.MigrationCompletedEvent;
import io.apiforge.migrations.events.MigrationFailedEvent;
import io.apiforge.migrations.lifecycle.MigrationFailedException;
import io.apiforge.migrations.events.MigrationStartedEvent;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaState;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up lifecycle against a real PostgreSQL: what runs, in which order, and what
 * is left behind when something fails.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class MigrationLifecycleIntegrationTests {

	@Test
	void pendingMigrationsAreAppliedAndTheRunIsRecorded(TestDatabase database) {
		CountingLockProvider lock = new CountingLockProvider();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
				assertThat(status.schema().state()).isEqualTo(SchemaState.UP_TO_DATE);
				assertThat(status.schema().currentVersion()).isEqualTo("2");
				assertThat(status.schema().expectedVersion()).isEqualTo("2");
				assertThat(status.schema().pending()).isEmpty();
				MigrationRun run = status.lastRun();
				assertThat(run.outcome()).isEqualTo(RunOutcome.MIGRATED);
				assertThat(run.fromVersion()).isNull();
				assertThat(run.toVersion()).isEqualTo("2");
				assertThat(run.executed()).extracting(MigrationSummary::version).containsExactly("1", "2");
				assertThat(run.lockWait()).isNotNull();
				assertThat(run.error()).isNull();
			});
		assertThat(lock.acquisitions()).isEqualTo(1);
		assertThat(database.jdbc().queryForList("SELECT price FROM items ORDER BY id", Integer.class))
			.containsExactly(10, 20, 30);
	}

	@Test
	void nothingPendingTakesNoLockNoBackupAndDoesNotMigrate(TestDatabase database, CapturedOutput output) {
		migrateWithPlainFlyway(database, "classpath:db/basic");
		CountingLockProvider lock = new CountingLockProvider();
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		AtomicInteger migrations = new AtomicInteger();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			// The start-up drift check takes the lock (without waiting) when nothing is
			// pending: DriftDetectionIntegrationTests covers it.
			.withPropertyValues("migrations.drift.check=off")
			.withBean(CountingLockProvider.class, () -> lock)
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.withBean(FlywayMigrationStrategy.class, () -> (flyway) -> {
				migrations.incrementAndGet();
				flyway.migrate();
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
				assertThat(status.lastRun().outcome()).isEqualTo(RunOutcome.UP_TO_DATE);
				assertThat(status.lastRun().lockWait()).isNull();
				assertThat(status.schema().state()).isEqualTo(SchemaState.UP_TO_DATE);
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(backup.requests()).isEmpty();
		assertThat(migrations).hasValue(0);
		assertThat(output).contains("Schema is up to date at version 2: nothing is pending; no backup, no migration.");
	}

	@Test
	void theBackupIsTakenOnceAfterTheLockAndBeforeAnyMigration(TestDatabase database) {
		migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		List<String> columnsAtBackup = new CopyOnWriteArrayList<>();
		RecordingBackupStrategy backup = new RecordingBackupStrategy((request) -> columnsAtBackup.addAll(database.jdbc()
			.queryForList("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY 1",
					String.class)));
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(backup.requests()).singleElement().satisfies((request) -> {
			assertThat(request.fromVersion()).isEqualTo("1");
			assertThat(request.toVersion()).isEqualTo("2");
			assertThat(request.pendingCount()).isEqualTo(1);
			assertThat(request.kind()).isEqualTo(BackupKind.PRE_MIGRATION);
		});
		assertThat(columnsAtBackup).as("columns when the backup was taken").containsExactly("id", "name");
	}

	@Test
	void aUserMigrationStrategyIsWrappedNotReplaced(TestDatabase database) {
		migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		AtomicInteger calls = new AtomicInteger();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.withBean("userStrategy", FlywayMigrationStrategy.class, () -> (flyway) -> {
				calls.incrementAndGet();
				flyway.migrate();
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().executed())
					.extracting(MigrationSummary::version)
					.containsExactly("2");
			});
		assertThat(calls).hasValue(1);
		assertThat(backup.requests()).hasSize(1);
	}

	@Test
	void userFlywayCallbacksStillFire(TestDatabase database) {
		List<Event> events = new CopyOnWriteArrayList<>();
		Callback callback = new Callback() {

			@Override
			public boolean supports(Event event, Context context) {
				return event == Event.BEFORE_MIGRATE || event == Event.AFTER_MIGRATE;
			}

			@Override
			public boolean canHandleInTransaction(Event event, Context context) {
				return true;
			}

			@Override
			public void handle(Event event, Context context) {
				events.add(event);
			}

			@Override
			public String getCallbackName() {
				return "recording";
			}

		};
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(Callback.class, () -> callback)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(events).containsExactly(Event.BEFORE_MIGRATE, Event.AFTER_MIGRATE);
	}

	@Test
	void springFlywayPropertiesKeepWorking(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/placeholders")
			.withPropertyValues("spring.flyway.schemas=app", "spring.flyway.table=app_history",
					"spring.flyway.placeholders.table_name=widgets")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().schema().currentVersion())
					.isEqualTo("1");
			});
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'app' ORDER BY 1",
					String.class))
			.as("the drift fingerprints beside the history table, named after it")
			.containsExactly("app_history", "app_history_fingerprints", "widgets");
	}

	@Test
	void aFailedMigrationFailsStartupNamesScriptLineAndErrorAndLeavesTheDatabaseAsItWas(TestDatabase database,
			CapturedOutput output) {
		migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		RecordingEventListener listener = new RecordingEventListener();
		MigrationsContextRunner.forDatabase(database, "classpath:db/broken")
			.withBean(RecordingEventListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("no_such_column");
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(MigrationFailedException.class)
					.hasMessageContaining("Migration V2__broken.sql failed at line 4")
					.hasMessageContaining("ERROR: column \"no_such_column\" does not exist")
					.hasMessageContaining("SQL state 42703")
					.hasMessageContaining("PostgreSQL rolled this migration back");
			});
		assertThat(database.jdbc().queryForList("SELECT id || ':' || name FROM items ORDER BY id", String.class))
			.containsExactly("1:one", "2:two", "3:three");
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history ORDER BY installed_rank", String.class))
			.containsExactly("1");
		assertThat(listener.events(MigrationStartedEvent.class)).hasSize(1);
		assertThat(listener.events(MigrationCompletedEvent.class)).isEmpty();
		assertThat(listener.events(MigrationFailedEvent.class)).singleElement().satisfies((event) -> {
			assertThat(event.getRun().outcome()).isEqualTo(RunOutcome.FAILED);
			assertThat(event.getRun().fromVersion()).isEqualTo("1");
			assertThat(event.getRun().toVersion()).isEqualTo("1");
			assertThat(event.getRun().executed()).isEmpty();
			assertThat(event.getCause()).isInstanceOf(MigrationFailedException.class);
			assertThat(((MigrationFailedException) event.getCause()).getScript()).isEqualTo("V2__broken.sql");
			assertThat(((MigrationFailedException) event.getCause()).getLineNumber()).isEqualTo(4);
		});
		assertThat(output).contains("Migration of flyway_schema_history FAILED after")
			.contains("The schema is at version 1 (it was at 1 before this run).")
			.contains("Action: Fix V2__broken.sql (line 4)");
	}

	@Test
	void anEmptyDatabaseIsNotBackedUp(TestDatabase database, CapturedOutput output) {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(backup.requests()).isEmpty();
		assertThat(output).contains("No backup taken: the database is empty (no schema history table, no table in "
				+ "the default schema), so there is nothing to lose.");
	}

	@Test
	void startedAndCompletedEventsCarryVersionsMigrationsAndDuration(TestDatabase database, CapturedOutput output) {
		RecordingEventListener listener = new RecordingEventListener();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(RecordingEventListener.class, () -> listener)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(listener.events()).hasSize(2);
		MigrationStartedEvent started = (MigrationStartedEvent) listener.events().get(0);
		assertThat(started.getFromVersion()).isNull();
		assertThat(started.getToVersion()).isEqualTo("2");
		assertThat(started.getPending()).extracting(MigrationSummary::script)
			.containsExactly("V1__create_items.sql", "V2__add_price.sql");
		MigrationCompletedEvent completed = (MigrationCompletedEvent) listener.events().get(1);
		assertThat(completed.getRun().toVersion()).isEqualTo("2");
		assertThat(completed.getRun().executed()).extracting(MigrationSummary::executionTime).doesNotContainNull();
		assertThat(completed.getRun().duration()).isPositive();
		assertThat(completed.getFlyway()).isInstanceOf(Flyway.class);
		assertThat(output).containsPattern(
				"Migrated flyway_schema_history from version <none> to 2 in [0-9.]+ m?s\\. Executed 2 migrations: "
						+ "V1 \"create items\" \\([0-9.]+ m?s\\), V2 \"add price\" \\([0-9.]+ m?s\\)\\. "
						+ "Backup: none taken\\. Waited [0-9.]+ m?s for the migration lock\\.");
	}

	static void migrateWithPlainFlyway(TestDatabase database, String location) {
		Flyway.configure().dataSource(database.dataSource()).locations(location).load().migrate();
	}

	static void migrateWithPlainFlyway(TestDatabase database, String location, String target) {
		Flyway.configure().dataSource(database.dataSource()).locations(location).target(target).load().migrate();
	}

}
