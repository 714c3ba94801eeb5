package io.apiforge.migrations.operations;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often a run asks Flyway where the schema stands ({@code info()}: a classpath scan
 * and a history query), counted by Flyway's own {@link Event#BEFORE_INFO} callback: once
 * before the lock, again under it only when the history changed meanwhile, and once after
 * a run that changed the schema.
 */
@WithPostgres
class StartupInspectionsIntegrationTests {

	@Test
	void aStartUpThatMigratesAnEmptyDatabaseInspectsBeforeTheLockAndAfterTheRunOnly(TestDatabase database) {
		InfoCalls infoCalls = new InfoCalls();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(InfoCalls.class, () -> infoCalls)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
					.isEqualTo(RunOutcome.MIGRATED);
			});
		assertThat(infoCalls.count()).as("inspections: before the lock, after the migration").isEqualTo(2);
	}

	@Test
	void aStartUpWithNothingPendingInspectsOnce(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
		InfoCalls infoCalls = new InfoCalls();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(InfoCalls.class, () -> infoCalls)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
					.isEqualTo(RunOutcome.UP_TO_DATE);
			});
		assertThat(infoCalls.count()).isEqualTo(1);
	}

	@Test
	void aHistoryChangedWhileWaitingForTheLockIsInspectedAgainUnderIt(TestDatabase database) throws Exception {
		InfoCalls infoCalls = new InfoCalls();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=validate", "migrations.lock.retry-interval=20ms")
			.withBean(InfoCalls.class, () -> infoCalls)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				int atStartUp = infoCalls.count();
				PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));
				CompletableFuture<MigrationRun> migration;
				try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
						Duration.ofSeconds(5))) {
					migration = CompletableFuture
						.supplyAsync(() -> context.getBean(MigrationOperations.class).migrate());
					Eventually.await("the migration to wait for the lock", () -> waitersFor(database) > 1);
					// Another instance migrates while this one waits.
					Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
				}
				MigrationRun run = migration.get(30, TimeUnit.SECONDS);
				assertThat(run.outcome()).as("the other instance did the work").isEqualTo(RunOutcome.UP_TO_DATE);
				assertThat(infoCalls.count() - atStartUp).as("before the lock, and again under it").isEqualTo(2);
			});
	}

	@Test
	void anUnchangedHistoryUnderTheLockIsNotInspectedAgain(TestDatabase database) throws Exception {
		InfoCalls infoCalls = new InfoCalls();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=validate", "migrations.lock.retry-interval=20ms")
			.withBean(InfoCalls.class, () -> infoCalls)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				int atStartUp = infoCalls.count();
				PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));
				CompletableFuture<MigrationRun> migration;
				try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
						Duration.ofSeconds(5))) {
					migration = CompletableFuture
						.supplyAsync(() -> context.getBean(MigrationOperations.class).migrate());
					Eventually.await("the migration to wait for the lock", () -> waitersFor(database) > 1);
				}
				MigrationRun run = migration.get(30, TimeUnit.SECONDS);
				assertThat(run.outcome()).isEqualTo(RunOutcome.MIGRATED);
				assertThat(run.toVersion()).isEqualTo("2");
				assertThat(infoCalls.count() - atStartUp).as("before the lock, and after the migration")
					.isEqualTo(2);
			});
	}

	// The holder and the waiter both last ran pg_try_advisory_lock on a migrations-lock session.
	private static int waitersFor(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'migrations-lock' "
					+ "AND datname = current_database() AND state = 'idle' AND backend_type = 'client backend' "
					+ "AND query LIKE 'SELECT pg_try_advisory_lock%'", Integer.class);
	}

	static final class InfoCalls implements Callback {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public boolean supports(Event event, Context context) {
			return event == Event.BEFORE_INFO;
		}

		@Override
		public boolean canHandleInTransaction(Event event, Context context) {
			return true;
		}

		@Override
		public void handle(Event event, Context context) {
			this.count.incrementAndGet();
		}

		@Override
		public String getCallbackName() {
			return "info-calls";
		}

		int count() {
			return this.count.get();
		}

	}

}
