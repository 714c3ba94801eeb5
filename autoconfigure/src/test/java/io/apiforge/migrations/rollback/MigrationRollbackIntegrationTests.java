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

import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.events.RollbackCompletedEvent;
import io.apiforge.migrations.events.RollbackFailedEvent;
import io.apiforge.migrations.operations.MigrationOperations;
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
				MigrationRun run = context.getBean(MigrationOperations.class).rollback("1");
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
					assertThat(request.kind()).isEqualTo(BackupKind.PRE_ROLLBACK);
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
			MigrationRun run = context.getBean(MigrationOperations.class).rollback("3");
			assertThat(run.outcome()).isEqualTo(RunOutcome.UP_TO_DATE);
		});
		assertThat(versions(database)).containsExactly("1", "2", "3");
	}

	@Test
	void aRollbackToBaseUndoesEverything(TestDatabase database) {
		runner(database, "classpath:db/undo").run((context) -> {
			context.getBean(MigrationOperations.class).rollback("base");
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
			MigrationOperations rollback = context.getBean(MigrationOperations.class);
			assertThatExceptionOfType(RollbackRefusedException.class).isThrownBy(() -> rollback.rollback("7"))
				.withMessageContaining("The target 7 is above the current version 3");
			assertThatExceptionOfType(RollbackRefusedException.class).isThrownBy(() -> rollback.rollback("1.5"))
				.withMessageContaining("The target 1.5 is not an applied version; applied versions are 1, 2, 3");
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> rollback.rollback("latest"))
				.withMessageContaining("The target 'latest' is neither a version");
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> rollback.rollback("1; DROP TABLE items; --"))
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
					.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"))
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
					.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"))
					.withMessageContaining("Undo of version 3 (U3__add_stock.sql) failed at line 4 "
							+ "(ALTER TABLE items DROP COLUMN stok): ERROR: ")
					.withMessageContaining("column \"stok\" of relation \"items\" does not exist")
					.withMessageContaining("version 3 is still applied")
					.satisfies((ex) -> assertThat(ex.getReachedVersion()).isEqualTo("3"));
				MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
				assertThat(status.lastRun().outcome()).isEqualTo(RunOutcome.FAILED);
				assertThat(status.schema().currentVersion()).isEqualTo("3");
			});
		assertThat(versions(database)).containsExactly("1", "2", "3");
		assertThat(columns(database)).containsExactly("id", "name", "price", "stock");
		assertThat(database.jdbc().queryForList("SELECT stock FROM items ORDER BY id", Integer.class))
			.as("the statements before the failing one were rolled back with it")
			.containsExactly(100, 200, 300);
		assertThat(database.jdbc()
			.queryForObject("SELECT column_default FROM information_schema.columns "
					+ "WHERE table_name = 'items' AND column_name = 'stock'", String.class))
			.isEqualTo("0");
		assertThat(listener.events(RollbackFailedEvent.class)).hasSize(1);
		assertThat(output).contains("Rollback of flyway_schema_history to 1 FAILED");
	}

	@Test
	void aFailureInsideAStatementIsNamedAtTheLinePostgresqlPointsTo(TestDatabase database) {
		runner(database, "classpath:db/undo-syntax-error").run((context) -> {
			assertThatExceptionOfType(UndoFailedException.class)
				.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"))
				.withMessageContaining("Undo of version 2 (U2__add_price.sql) failed at line 6 (ALTER TABLE items")
				.withMessageContaining("syntax error at or near \"price\"");
		});
		assertThat(versions(database)).containsExactly("1", "2");
		assertThat(database.jdbc().queryForList("SELECT price FROM items ORDER BY id", Integer.class))
			.containsExactly(10, 20, 30);
	}

	@Test
	void placeholdersInAnUndoScriptAreReplacedAsFlywayReplacesThem(TestDatabase database) {
		runner(database, "classpath:db/undo-placeholders")
			.withPropertyValues("spring.flyway.default-schema=app", "spring.flyway.placeholders.column=price")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(MigrationOperations.class).rollback("1");
			});
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM app.flyway_schema_history WHERE version IS NOT NULL", String.class))
			.containsExactly("1");
		assertThat(database.jdbc()
			.queryForList("SELECT column_name FROM information_schema.columns WHERE table_schema = 'app' "
					+ "AND table_name = 'items' ORDER BY ordinal_position", String.class))
			.containsExactly("id", "name");
		assertThat(database.jdbc().queryForObject("SELECT obj_description('app.items'::regclass)", String.class))
			.isEqualTo("U2__add_price.sql by " + database.username() + " in " + database.name()
					+ ", flyway_schema_history");
	}

	@Test
	void anUndoScriptWithAPlaceholderWithoutAValueIsRefusedBeforeAnythingChanges(TestDatabase database) {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		runner(database, "classpath:db/undo-unknown-placeholder").withBean(RecordingBackupStrategy.class, () -> backup)
			.run((context) -> {
				DatabaseSnapshot before = DatabaseSnapshot.of(database);
				assertThatExceptionOfType(RollbackRefusedException.class)
					.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"))
					.withMessageContaining("U2__add_price.sql (line 3) uses the placeholder ${undone_by}, which has no "
							+ "value: Flyway would refuse to run it.")
					.withMessageContaining("Set spring.flyway.placeholders.undone_by")
					.withMessageContaining("nothing was changed");
				assertThat(DatabaseSnapshot.of(database)).isEqualTo(before);
			});
		assertThat(versions(database)).containsExactly("1", "2");
		assertThat(columns(database)).containsExactly("id", "name", "price");
		assertThat(backup.requests()).isEmpty();
	}

	@Test
	void anUndoThatCannotRunInATransactionIsRefusedNamingTheLineAndTheFix(TestDatabase database) {
		runner(database, "classpath:db/undo-concurrently").run((context) -> {
			DatabaseSnapshot before = DatabaseSnapshot.of(database);
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"))
				.withMessageContaining("The undo of version 2 (U2__index_items.sql) cannot run in a transaction "
						+ "(line 2: PostgreSQL refuses DROP INDEX CONCURRENTLY inside a transaction block).")
				.withMessageContaining("adding U2__index_items.sql.conf with executeInTransaction=false");
			assertThat(DatabaseSnapshot.of(database)).isEqualTo(before);
		});
		assertThat(versions(database)).containsExactly("1", "2");
		assertThat(indexes(database)).contains("items_name");
	}

	@Test
	void anUndoMarkedExecuteInTransactionFalseRunsOutsideATransaction(TestDatabase database) {
		runner(database, "classpath:db/undo-concurrently-opt-in").run((context) -> {
			MigrationOperations rollback = context.getBean(MigrationOperations.class);
			assertThat(context.getBean(RollbackPlanner.class).plan(flyway(context), "1").steps()).singleElement()
				.satisfies((step) -> assertThat(step.transactional()).isFalse());
			MigrationRun run = rollback.rollback("1");
			assertThat(run.outcome()).isEqualTo(RunOutcome.ROLLED_BACK);
		});
		assertThat(versions(database)).containsExactly("1");
		assertThat(indexes(database)).doesNotContain("items_name");
	}

	@Test
	void anUndoOutsideATransactionThatFailsKeepsTheVersionRecordedAsApplied(TestDatabase database) {
		runner(database, "classpath:db/undo-outside-broken").run((context) -> {
			assertThatExceptionOfType(UndoFailedException.class)
				.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"))
				.withMessageContaining("Undo of version 2 (U2__index_items.sql) failed at line 2 (DROP TABLE no_such_table)")
				.withMessageContaining("runs outside a transaction (executeInTransaction=false), so the 1 statement(s) "
						+ "before it took effect; version 2 is still recorded as applied")
				.satisfies((ex) -> assertThat(ex.getAction()).contains("IF EXISTS"));
		});
		assertThat(versions(database)).containsExactly("1", "2");
		assertThat(indexes(database)).as("the statement before the failing one was not rolled back")
			.doesNotContain("items_name");
	}

	@Test
	void aJavaMigrationFoundByFlywaysScanIsUndoneLikeABean(TestDatabase database) {
		runner(database, "classpath:db/undo-java-scan,classpath:io/apiforge/migrations/rollback/scanned")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(versions(database)).containsExactly("1", "2");
				RollbackPlan plan = context.getBean(RollbackPlanner.class).plan(flyway(context), "1");
				assertThat(plan.problems()).isEmpty();
				assertThat(plan.steps()).singleElement()
					.satisfies((step) -> assertThat(step.undo())
						.isEqualTo("io.apiforge.migrations.rollback.scanned.V2__Add_notes"));
				context.getBean(MigrationOperations.class).rollback("1");
			});
		assertThat(versions(database)).containsExactly("1");
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_name = 'notes'", String.class))
			.isEmpty();
	}

	@Test
	void repeatableMigrationsAppliedAfterTheTargetAreRefusedUnlessAllowed(TestDatabase database) {
		runner(database, "classpath:db/undo-repeatable").run((context) -> {
			assertThatExceptionOfType(RollbackRefusedException.class)
				.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("2"))
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
					.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("1"));
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

	static List<String> indexes(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'items' ORDER BY indexname", String.class);
	}

	static List<String> columns(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' "
					+ "ORDER BY ordinal_position", String.class);
	}

}
