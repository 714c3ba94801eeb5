package io.apiforge.migrations.rollback;

import java.time.Duration;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.lifecycle.MigrationOperations;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockTimeoutException;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaState;
import io.apiforge.migrations.testsupport.DatabaseSnapshot;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Rollback with undo scripts against a real PostgreSQL: what it undoes, what it keeps
 * true, and how every bad request is refused before anything changes.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class MigrationRollbackIntegrationTests {

	@Test
	void aRollbackUndoesNewestFirstKeepsTheHistoryTruthfulAndAMigrateAppliesTheVersionsAgain(TestDatabase database) {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		RecordingEventListener listener = new RecordingEventListener();
		runner(database, "classpath:db/undo").withBean(RecordingBackupStrategy.class, () -> backup)
			.withBean(RecordingEventListener.class, () -> listener)
			.withBean(V4__Add_notes.class, V4__Add_notes::new)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(versions(database)).containsExactly("1", "2", "3", "4");
				MigrationRun run = context.getBean(MigrationRollback.class).rollback(flyway(context), "1");
				assertThat(run.outcome()).isEqualTo(RunOutcome.ROLLED_BACK);
				assertThat(run.fromVersion()).isEqualTo("4");
				assertThat(run.toVersion()).isEqualTo("1");
				assertThat(run.executed()).extracting(MigrationSummary::version).containsExactly("4", "3", "2");
				assertThat(versions(database)).containsExactly("1");
				assertThat(columns(database)).containsExactly("id", "name");
				assertThat(database.jdbc().queryForList("SELECT id || ':' || name FROM items ORDER BY id", String.class))
					.containsExactly("1:one", "2:two", "3:three");
				assertThat(database.jdbc()
					.queryForList("SELECT table_name FROM information_schema.tables WHERE table_name = 'notes'",
							String.class))
					.isEmpty();
				MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
				assertThat(status.schema().state()).isEqualTo(SchemaState.PENDING);
				assertThat(status.schema().pending()).extracting(MigrationSummary::version)
					.containsExactly("2", "3", "4");
				assertThat(backup.requests()).last().satisfies((request) -> {
					assertThat(request.fromVersion()).isEqualTo("4");
					assertThat(request.toVersion()).isEqualTo("1");
				});
				assertThat(listener.events(RollbackCompletedEvent.class)).hasSize(1);

				context.getBean(MigrationOperations.class).migrate();
				assertThat(versions(database)).containsExactly("1", "2", "3", "4");
				assertThat(database.jdbc().queryForList("SELECT price FROM items ORDER BY id", Integer.class))
					.containsExactly(10, 20, 30);
			});
	}

	@Test
	void flywayNeverRunsUndoScriptsAndStrictNamingAcceptsThem(TestDatabase database) {
		runner(database, "classpath:db/undo").withPropertyValues("spring.flyway.validate-migration-naming=true")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(versions(database)).containsExactly("1", "2", "3");
		assertThat(columns(database)).containsExactly("id", "name", "price", "stock");
	}

	@Test
	void rollingBackToTheCurrentVersionDoesNothing(TestDatabase database) {
		runner(database, "classpath:db/undo").run((context) -> {
			MigrationRun run = context.getBean(MigrationRollback.class).rollback(flyway(context), "3");
			assertThat(run.outcome()).isEqualTo(RunOutcome.UP_TO_DATE);
		});
		assertThat(versions(database)).containsExactly("1", "2", "3");
	}

	@Test
	void aRollbackToBaseUndoesEverything(TestDatabase database) {
		runner(database, "classpath:db/undo").run((context) -> {
			context.getBean(MigrationRollback.class).rollback(flyway(context), "base");
		});
		assertThat(versions(database)).isEmpty();
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_name = 'items'", String.class))
			.isEmpty();
	}

	@Test
	void badTargetsAreRefusedAndChangeNothing(TestDatabase database) {
		runner(database, "classpath:db/undo").run((context) -> {
			DatabaseSnapshot before = DatabaseSnapshot.of(database);
			MigrationRollback rollback = context.getBean(MigrationRollback.class);
			Flyway flyway = flyway(context);
			assertThatExceptionOfType(RollbackRefusedException.class).isThrownBy(() -> rollback.rollback(flyway, "7"))
				.withMessageContaining("The target 7 is above the current version 3");
			assertThatExceptionOfType(RollbackRefusedException.class).isThrownBy(() -> rollback.rollback(flyway, "1.5"))
				.withMessageContaining("The target 1.5 is not an applied version; applied versions are 1, 2, 3");
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> rollback.rollback(flyway, "latest"))
				.withMessageContaining("The target 'latest' is neither a version");
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> rollback.rollback(flyway, "1; DROP TABLE items; --"))
				.withMessageContaining("is neither a version")
				.satisfies((ex) -> assertThat(ex.getAction()).contains("plan"));
			assertThat(DatabaseSnapshot.of(database)).isEqualTo(before);
		});
		assertThat(versions(database)).containsExactly("1", "2", "3");
	}

	@Test
	void aMissingUndoScriptInTheMiddleIsRefusedBeforeAnythingChanges(TestDatabase database) {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		runner(database, "classpath:db/undo-missing").withBean(RecordingBackupStrategy.class, () -> backup)
			.run((context) -> {
				assertThatExceptionOfType(RollbackRefusedException.class)
					.isThrownBy(() -> context.getBean(MigrationRollback.class).rollback(flyway(context), "1"))
					.withMessageContaining("Version 2 (V2__add_price.sql) has no undo: add U2__add_price.sql beside it.")
					.withMessageContaining("nothing was changed");
			});
		assertThat(versions(database)).containsExactly("1", "2", "3");
		assertThat(columns(database)).containsExactly("id", "name", "price", "stock");
		assertThat(backup.requests()).isEmpty();
	}

	@Test
	void anUndoWithASqlErrorStopsTheRollbackAtTheLastConsistentVersion(TestDatabase database, CapturedOutput output) {
		RecordingEventListener listener = new RecordingEventListener();
		runner(database, "classpath:db/undo-broken").withBean(RecordingEventListener.class, () -> listener)
			.run((context) -> {
				assertThatExceptionOfType(UndoFailedException.class)
					.isThrownBy(() -> context.getBean(MigrationRollback.class).rollback(flyway(context), "1"))
					.withMessageContaining("Undo of version 3 (U3__add_stock.sql) failed: ERROR: ")
					.withMessageContaining("column \"stok\" of relation \"items\" does not exist")
					.withMessageContaining("version 3 is still applied")
					.satisfies((ex) -> assertThat(ex.getReachedVersion()).isEqualTo("3"));
				MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
				assertThat(status.lastRun().outcome()).isEqualTo(RunOutcome.FAILED);
				assertThat(status.schema().currentVersion()).isEqualTo("3");
			});
		assertThat(versions(database)).containsExactly("1", "2", "3");
		assertThat(columns(database)).containsExactly("id", "name", "price", "stock");
		assertThat(listener.events(RollbackFailedEvent.class)).hasSize(1);
		assertThat(output).contains("Rollback of flyway_schema_history to 1 FAILED");
	}

	@Test
	void repeatableMigrationsAppliedAfterTheTargetAreRefusedUnlessAllowed(TestDatabase database) {
		runner(database, "classpath:db/undo-repeatable").run((context) -> {
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> context.getBean(MigrationRollback.class).rollback(flyway(context), "2"))
				.withMessageContaining("Repeatable migrations were applied after the target and cannot be undone: "
						+ "R__items_view.sql")
				.withMessageContaining("migrations.rollback.allow-repeatables=true");
		});
		assertThat(versions(database)).containsExactly("1", "2", "3");
	}

	@Test
	void aRollbackWaitsForAnotherInstanceThatMigratesAndTimesOut(TestDatabase database) {
		runner(database, "classpath:db/undo").withPropertyValues("migrations.lock.timeout=1s").run((context) -> {
			PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(50));
			try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
					Duration.ofSeconds(5))) {
				assertThatExceptionOfType(MigrationLockTimeoutException.class)
					.isThrownBy(() -> context.getBean(MigrationRollback.class).rollback(flyway(context), "1"));
			}
		});
		assertThat(versions(database)).containsExactly("1", "2", "3");
	}

	@Test
	void rollbackModeRollsBackAtStartUp(TestDatabase database) {
		runner(database, "classpath:db/undo").run((context) -> assertThat(context).hasNotFailed());
		runner(database, "classpath:db/undo").withPropertyValues("migrations.mode=rollback", "migrations.rollback.target=2")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(versions(database)).containsExactly("1", "2");
	}

	@Test
	void rollbackModeWithoutATargetFailsNamingTheProperty(TestDatabase database) {
		runner(database, "classpath:db/undo").withPropertyValues("migrations.mode=rollback").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.mode=rollback rolls back to migrations.rollback.target, which is not set");
		});
	}

	private static ApplicationContextRunner runner(TestDatabase database, String location) {
		return MigrationsContextRunner.forDatabase(database, location);
	}

	private static Flyway flyway(org.springframework.context.ApplicationContext context) {
		return context.getBean(Flyway.class);
	}

	static List<String> versions(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank",
					String.class);
	}

	static List<String> columns(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' "
					+ "ORDER BY ordinal_position", String.class);
	}

}
