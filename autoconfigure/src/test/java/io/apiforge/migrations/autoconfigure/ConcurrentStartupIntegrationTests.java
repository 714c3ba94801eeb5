package io.apiforge.migrations.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.events.MigrationFailedEvent;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockTimeoutException;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicas that start together against one database: the lock makes them queue up, so
 * that one backs up and migrates and the others find nothing left to do. The tests
 * synchronise on what the database shows (a replica waiting for the lock), never on
 * time.
 */
@WithPostgres
class ConcurrentStartupIntegrationTests {

	private static final int REPLICAS = 4;

	@Test
	void replicasStartingTogetherMigrateOnceAndBackUpOnce(TestDatabase database) throws Exception {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/slow", "1");
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		ApplicationContextRunner runner = MigrationsContextRunner.forDatabase(database, "classpath:db/slow")
			.withPropertyValues("migrations.lock.retry-interval=50ms", "migrations.lock.timeout=5m")
			.withBean(RecordingBackupStrategy.class, () -> backup);
		PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(50));
		ExecutorService executor = Executors.newFixedThreadPool(REPLICAS);
		try {
			List<CompletableFuture<MigrationRun>> replicas = new ArrayList<>();
			// Hold the lock until every replica is seen waiting for it, so that they all
			// found V2 pending before any of them could migrate it: they start together
			// however slowly this machine starts each one.
			try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
					Duration.ofSeconds(5))) {
				for (int i = 0; i < REPLICAS; i++) {
					replicas.add(CompletableFuture.supplyAsync(() -> lastRun(runner), executor));
				}
				AdvisoryLockWaiters.await(database, REPLICAS);
				assertThat(replicas).noneMatch(CompletableFuture::isDone);
			}
			List<MigrationRun> runs = new ArrayList<>();
			for (CompletableFuture<MigrationRun> replica : replicas) {
				runs.add(replica.get(AdvisoryLockWaiters.GIVE_UP_AFTER.toSeconds(), TimeUnit.SECONDS));
			}
			assertThat(runs).extracting(MigrationRun::outcome)
				.containsOnly(RunOutcome.MIGRATED, RunOutcome.UP_TO_DATE)
				.filteredOn(RunOutcome.MIGRATED::equals)
				.hasSize(1);
			assertThat(runs).filteredOn((run) -> run.outcome() == RunOutcome.UP_TO_DATE)
				.as("the replicas that queued behind the lock and found the work done")
				.hasSize(REPLICAS - 1)
				.allSatisfy((run) -> {
					assertThat(run.toVersion()).isEqualTo("2");
					assertThat(run.executed()).isEmpty();
				});
			assertThat(runs).as("every replica waited for the lock")
				.allSatisfy((run) -> assertThat(run.lockWait()).isPositive());
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(backup.requests()).hasSize(1);
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history ORDER BY installed_rank", String.class))
			.containsExactly("1", "2");
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(3);
	}

	@Test
	void thePendingSetIsReadAgainOnceTheLockIsTaken(TestDatabase database) throws Exception {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(50));
		CompletableFuture<MigrationRun> replica;
		try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history", Duration.ofSeconds(5))) {
			replica = CompletableFuture.supplyAsync(() -> lastRun(MigrationsContextRunner
				.forDatabase(database, "classpath:db/basic")
				.withPropertyValues("migrations.lock.retry-interval=50ms", "migrations.lock.timeout=5m")
				.withBean(RecordingBackupStrategy.class, () -> backup)));
			// Seen waiting: it has inspected the schema and found V1 and V2 pending.
			AdvisoryLockWaiters.await(database, 1);
			assertThat(replica).as("the replica waits for the lock").isNotDone();
			// Another instance migrates while this one waits.
			Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
		}
		MigrationRun run = replica.get(AdvisoryLockWaiters.GIVE_UP_AFTER.toSeconds(), TimeUnit.SECONDS);
		assertThat(run.outcome()).isEqualTo(RunOutcome.UP_TO_DATE);
		assertThat(run.lockWait()).isPositive();
		assertThat(run.executed()).isEmpty();
		assertThat(backup.requests()).isEmpty();
	}

	@Test
	void aLockHeldLongerThanTheTimeoutFailsStartupWithTheHolderAndTheFix(TestDatabase database) {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		RecordingEventListener listener = new RecordingEventListener();
		PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(50));
		try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history", Duration.ofSeconds(5))) {
			MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
				.withPropertyValues("migrations.lock.timeout=1s", "migrations.lock.retry-interval=100ms")
				.withBean(RecordingBackupStrategy.class, () -> backup)
				.withBean(RecordingEventListener.class, () -> listener)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).cause()
						.isInstanceOf(MigrationLockTimeoutException.class)
						.hasMessageContaining("Timed out after 1.0 s waiting for the migration lock of flyway_schema_history")
						.hasMessageContaining("PostgreSQL backend pid")
						.satisfies((failure) -> assertThat(((MigrationLockTimeoutException) failure).getAction())
							.contains("raise migrations.lock.timeout")
							.contains("pg_locks"));
				});
		}
		assertThat(backup.requests()).isEmpty();
		assertThat(listener.events(MigrationFailedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.getRun().outcome()).isEqualTo(RunOutcome.REFUSED));
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.isEmpty();
	}

	private static MigrationRun lastRun(ApplicationContextRunner runner) {
		MigrationRun[] run = new MigrationRun[1];
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			run[0] = context.getBean(MigrationStatusHolder.class).current().lastRun();
		});
		return run[0];
	}

}
