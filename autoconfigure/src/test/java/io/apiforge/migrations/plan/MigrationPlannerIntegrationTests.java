package io.apiforge.migrations.plan;


import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.plan.MigrationPlan.Step;
import io.apiforge.migrations.testsupport.DatabaseSnapshot;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans show what would run, and change nothing.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class MigrationPlannerIntegrationTests {

	@Test
	void aMigratePlanListsThePendingMigrationsWithTheirSqlTransactionsAndUndoAndChangesNothing(TestDatabase database) {
		migrate(database, "classpath:db/undo-missing", "1");
		DatabaseSnapshot before = DatabaseSnapshot.of(database);
		MigrationsContextRunner.withDefaults(database, "classpath:db/undo-missing")
			.withPropertyValues("migrations.mode=plan")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationPlan plan = context.getBean(MigrationPlanner.class).migrate(context.getBean(Flyway.class));
				assertThat(plan.kind()).isEqualTo("migrate");
				assertThat(plan.currentVersion()).isEqualTo("1");
				assertThat(plan.targetVersion()).isEqualTo("3");
				assertThat(plan.steps()).extracting(Step::script).containsExactly("V2__add_price.sql", "V3__add_stock.sql");
				assertThat(plan.steps()).extracting(Step::transactional).containsOnly(true);
				assertThat(plan.steps()).extracting(Step::checksum).doesNotContainNull();
				assertThat(plan.steps().get(0).sql()).contains("ALTER TABLE items ADD COLUMN price");
				assertThat(plan.steps()).extracting(Step::undo).containsExactly(null, "U3__add_stock.sql");
				assertThat(plan.backup().taken()).isTrue();
				assertThat(plan.backup().strategy()).startsWith("pg-dump (custom format, whole database");
				assertThat(plan.problems()).isEmpty();
			});
		assertThat(DatabaseSnapshot.of(database)).as("catalog, history and data after the plan").isEqualTo(before);
	}

	@Test
	void planModePrintsThePlanAndChangesNothing(TestDatabase database, CapturedOutput output) {
		migrate(database, "classpath:db/undo", "1");
		DatabaseSnapshot before = DatabaseSnapshot.of(database);
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo")
			.withPropertyValues("migrations.mode=plan")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(DatabaseSnapshot.of(database)).isEqualTo(before);
		assertThat(output).contains("Plan (migrate) for flyway_schema_history: version 1 -> 3, 2 steps.")
			.contains("1. V2 \"add price\" sql V2__add_price.sql, in a transaction, undo: U2__add_price.sql")
			.contains("Backup: no (migrations.backup.strategy=none)");
	}

	@Test
	void aRollbackPlanListsTheUndoStepsWithEstimatesAndItsProblems(TestDatabase database, CapturedOutput output) {
		migrate(database, "classpath:db/undo-missing", "3");
		DatabaseSnapshot before = DatabaseSnapshot.of(database);
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo-missing")
			.withPropertyValues("migrations.mode=plan", "migrations.rollback.target=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationPlan plan = context.getBean(MigrationPlanner.class)
					.rollback(context.getBean(Flyway.class), "1");
				assertThat(plan.kind()).isEqualTo("rollback");
				assertThat(plan.steps()).extracting(Step::version).containsExactly("3", "2");
				assertThat(plan.steps().get(0).sql()).contains("DROP COLUMN stock");
				assertThat(plan.steps().get(0).estimatedMillis()).isNotNull();
				assertThat(plan.steps().get(1).undo()).isNull();
				assertThat(plan.problems()).singleElement().asString().contains("Version 2 (V2__add_price.sql) has no undo");
				assertThat(plan.backup().taken()).isFalse();
			});
		assertThat(DatabaseSnapshot.of(database)).isEqualTo(before);
		assertThat(output).contains("Plan (rollback) for flyway_schema_history: version 3 -> 1, 2 steps.")
			.contains("Cannot run:");
	}

	@Test
	void aRollbackPlanRefusesAnUndoThatCannotRunInATransactionAndSaysSo(TestDatabase database) {
		migrate(database, "classpath:db/undo-concurrently", "2");
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo-concurrently")
			.withPropertyValues("migrations.mode=plan", "migrations.rollback.target=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationPlan plan = context.getBean(MigrationPlanner.class)
					.rollback(context.getBean(Flyway.class), "1");
				assertThat(plan.steps()).singleElement().satisfies((step) -> {
					assertThat(step.undo()).isEqualTo("U2__index_items.sql");
					assertThat(step.transactional()).isFalse();
				});
				assertThat(plan.problems()).singleElement()
					.asString()
					.contains("The undo of version 2 (U2__index_items.sql) cannot run in a transaction (line 2: "
							+ "PostgreSQL refuses DROP INDEX CONCURRENTLY inside a transaction block)");
				assertThat(plan.describe()).contains("1. V2 \"index items\" undo U2__index_items.sql, OUTSIDE a transaction")
					.contains("Cannot run:");
			});
	}

	@Test
	void aRollbackPlanStatesThatAnUndoMarkedExecuteInTransactionFalseRunsOutsideATransaction(TestDatabase database) {
		migrate(database, "classpath:db/undo-concurrently-opt-in", "2");
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo-concurrently-opt-in")
			.withPropertyValues("migrations.mode=plan", "migrations.rollback.target=1")
			.run((context) -> {
				MigrationPlan plan = context.getBean(MigrationPlanner.class)
					.rollback(context.getBean(Flyway.class), "1");
				assertThat(plan.problems()).isEmpty();
				assertThat(plan.steps()).extracting(Step::transactional).containsExactly(false);
				assertThat(plan.describe()).contains("undo U2__index_items.sql, OUTSIDE a transaction");
			});
	}

	@Test
	void aRollbackPlanShowsTheUndoSqlWithItsPlaceholdersReplacedAndInATransaction(TestDatabase database) {
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/undo-placeholders")
			.defaultSchema("app")
			.placeholders(java.util.Map.of("column", "price"))
			.load()
			.migrate();
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo-placeholders")
			.withPropertyValues("migrations.mode=plan", "spring.flyway.default-schema=app",
					"spring.flyway.placeholders.column=price")
			.run((context) -> {
				MigrationPlan plan = context.getBean(MigrationPlanner.class)
					.rollback(context.getBean(Flyway.class), "1");
				assertThat(plan.problems()).isEmpty();
				assertThat(plan.steps()).singleElement().satisfies((step) -> {
					assertThat(step.transactional()).isTrue();
					assertThat(step.sql()).contains("ALTER TABLE app.items DROP COLUMN price;")
						.doesNotContain("${");
				});
			});
	}

	@Test
	void aMigratePlanCarriesTheLintFindingsOfEachStep(TestDatabase database, CapturedOutput output) {
		migrate(database, "classpath:db/lint-sample", "1");
		MigrationsContextRunner.forDatabase(database, "classpath:db/lint-sample")
			.withPropertyValues("migrations.mode=plan")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationPlan plan = context.getBean(MigrationPlanner.class).migrate(context.getBean(Flyway.class));
				assertThat(plan.steps().get(0).lint()).extracting(io.apiforge.migrations.lint.LintFinding::rule)
					.containsExactly("missing-lock-timeout");
				assertThat(plan.steps().get(1).lint()).extracting(io.apiforge.migrations.lint.LintFinding::rule)
					.contains("create-index-without-concurrently");
			});
		assertThat(output).contains("lint: V3__index_user_phone.sql:2 [warning] create-index-without-concurrently");
	}

	@Test
	void withTheLintOffAPlanCarriesNoFindings(TestDatabase database) {
		migrate(database, "classpath:db/lint-sample", "1");
		MigrationsContextRunner.forDatabase(database, "classpath:db/lint-sample")
			.withPropertyValues("migrations.mode=plan", "migrations.lint.enabled=false")
			.run((context) -> assertThat(context.getBean(MigrationPlanner.class)
				.migrate(context.getBean(Flyway.class))
				.steps()).allSatisfy((step) -> assertThat(step.lint()).isEmpty()));
	}

	private static void migrate(TestDatabase database, String location, String target) {
		Flyway.configure().dataSource(database.dataSource()).locations(location).target(target).load().migrate();
	}


}
