package io.apiforge.migrations.operations;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Context;
import org.junit.jupiter.api.Test;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaSnapshot;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.BeforeInfoCallback;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often a run asks Flyway where the schema stands ({@code info()}: a classpath scan,
 * every script read for its checksum, and a history query), counted by Flyway's own
 * {@code BEFORE_INFO} callback: once before the lock, and again under it only when the
 * history changed meanwhile. After a migration the rows it added tell where the schema
 * stands.
 */
@WithPostgres
class StartupInspectionsIntegrationTests {

	@Test
	void aStartUpThatMigratesAnEmptyDatabaseInspectsBeforeTheLockOnly(TestDatabase database) {
		InfoCalls infoCalls = new InfoCalls();
		runner(database, infoCalls).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
				.isEqualTo(RunOutcome.MIGRATED);
		});
		assertThat(infoCalls.count()).as("inspections: before the lock").isEqualTo(1);
	}

	@Test
	void aStartUpThatMigratesIntoASchemaFlywayCreatesInspectsBeforeTheLockOnly(TestDatabase database) {
		InfoCalls infoCalls = new InfoCalls();
		runner(database, infoCalls).withPropertyValues("spring.flyway.schemas=created_by_flyway").run((context) -> {
			assertThat(context).hasNotFailed();
			SchemaSnapshot schema = context.getBean(MigrationStatusHolder.class).current().schema();
			assertThat(schema.currentVersion()).isEqualTo("2");
			// Flyway's row for the schema it created comes first among the applied ones.
			assertThat(schema.applied()).extracting(MigrationSummary::type).containsExactly("SCHEMA", "SQL", "SQL");
			assertThat(schema.shipped()).extracting(MigrationSummary::version).containsExactly("1", "2");
		});
		assertThat(infoCalls.count()).as("inspections: before the lock").isEqualTo(1);
	}

	@Test
	void aMigrationStrategyThatRewritesTheHistoryIsFollowedByAskingFlywayAgain(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		InfoCalls infoCalls = new InfoCalls();
		// The application's own strategy changes an applied row's checksum before it
		// migrates: the rows the migration added cannot tell what Flyway now sees.
		runner(database, infoCalls).withPropertyValues("spring.flyway.validate-on-migrate=false")
			.withBean(FlywayMigrationStrategy.class, () -> (flyway) -> {
				database.jdbc().update("UPDATE flyway_schema_history SET checksum = 42 WHERE version = '1'");
				flyway.migrate();
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SchemaSnapshot schema = context.getBean(MigrationStatusHolder.class).current().schema();
				assertThat(schema.currentVersion()).isEqualTo("2");
				assertThat(schema.invalid()).singleElement()
					.satisfies((problem) -> assertThat(problem).startsWith("Migration checksum mismatch for version 1"));
			});
		assertThat(infoCalls.count()).as("inspections: before the lock, after the migration").isEqualTo(2);
	}

	@Test
	void aStartUpWithNothingPendingInspectsOnce(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
		InfoCalls infoCalls = new InfoCalls();
		runner(database, infoCalls).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
				.isEqualTo(RunOutcome.UP_TO_DATE);
		});
		assertThat(infoCalls.count()).isEqualTo(1);
	}

	@Test
	void aHistoryChangedWhileWaitingForTheLockIsInspectedAgainUnderIt(TestDatabase database) {
		InfoCalls infoCalls = new InfoCalls();
		runnerInValidateMode(database, infoCalls).run((context) -> {
			assertThat(context).hasNotFailed();
			int atStartUp = infoCalls.count();
			// Another instance migrates while this one waits.
			MigrationRun run = migrateWhileTheLockIsHeld(context, database, () -> Flyway.configure()
				.dataSource(database.dataSource())
				.locations("classpath:db/basic")
				.load()
				.migrate());
			assertThat(run.outcome()).as("the other instance did the work").isEqualTo(RunOutcome.UP_TO_DATE);
			assertThat(infoCalls.count() - atStartUp).as("before the lock, and again under it").isEqualTo(2);
		});
	}

	@Test
	void anUnchangedHistoryUnderTheLockIsNotInspectedAgain(TestDatabase database) {
		InfoCalls infoCalls = new InfoCalls();
		runnerInValidateMode(database, infoCalls).run((context) -> {
			assertThat(context).hasNotFailed();
			int atStartUp = infoCalls.count();
			MigrationRun run = migrateWhileTheLockIsHeld(context, database, () -> {
			});
			assertThat(run.outcome()).isEqualTo(RunOutcome.MIGRATED);
			assertThat(run.toVersion()).isEqualTo("2");
			assertThat(infoCalls.count() - atStartUp).as("before the lock only").isEqualTo(1);
		});
	}

	private static ApplicationContextRunner runner(TestDatabase database, InfoCalls infoCalls) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(InfoCalls.class, () -> infoCalls);
	}

	private static ApplicationContextRunner runnerInValidateMode(TestDatabase database, InfoCalls infoCalls) {
		return runner(database, infoCalls).withPropertyValues("migrations.mode=validate",
				"migrations.lock.retry-interval=20ms");
	}

	/**
	 * Start a migration while another session holds the migration lock, do what the
	 * other instance does while this one waits, then let the lock go.
	 */
	private static MigrationRun migrateWhileTheLockIsHeld(ApplicationContext context, TestDatabase database,
			Runnable meanwhile) throws Exception {
		PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));
		CompletableFuture<MigrationRun> migration;
		try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
				Duration.ofSeconds(5))) {
			migration = CompletableFuture.supplyAsync(() -> context.getBean(MigrationOperations.class).migrate());
			AdvisoryLockWaiters.await(database, 1);
			meanwhile.run();
		}
		return migration.get(30, TimeUnit.SECONDS);
	}

	static final class InfoCalls extends BeforeInfoCallback {

		private final AtomicInteger count = new AtomicInteger();

		InfoCalls() {
			super("info-calls");
		}

		@Override
		protected void beforeInfo(Context context) {
			this.count.incrementAndGet();
		}

		int count() {
			return this.count.get();
		}

	}

}
