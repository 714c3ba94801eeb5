package io.apiforge.migrations.operations;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.events.MigrationFailedEvent;
import io.apiforge.migrations.lock.MigrationLockLostException;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock's connection dies while a run holds it (here: terminated while the backup is
 * slow): the run stops with a named error before it migrates, and only the instance that
 * took the lock after it migrates.
 */
@WithPostgres
class LockLossIntegrationTests {

	@Test
	void aRunWhoseLockConnectionIsKilledStopsBeforeItMigratesAndAnotherInstanceMigratesAlone(TestDatabase database)
			throws Exception {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		CountDownLatch backingUp = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		RecordingBackupStrategy slowBackup = new RecordingBackupStrategy((request) -> {
			backingUp.countDown();
			awaitQuietly(release);
		});
		RecordingEventListener firstEvents = new RecordingEventListener();
		CompletableFuture<Throwable> first = CompletableFuture.supplyAsync(() -> {
			Throwable[] failure = new Throwable[1];
			MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
				.withBean(RecordingBackupStrategy.class, () -> slowBackup)
				.withBean(RecordingEventListener.class, () -> firstEvents)
				.run((context) -> failure[0] = context.getStartupFailure());
			return failure[0];
		});
		assertThat(backingUp.await(30, TimeUnit.SECONDS)).as("the first instance is backing up").isTrue();

		List<Integer> killed = database.jdbc()
			.queryForList("SELECT pid FROM pg_stat_activity WHERE application_name = 'migrations-lock' "
					+ "AND datname = current_database()", Integer.class);
		assertThat(killed).hasSize(1);
		database.jdbc().queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, killed.get(0));

		RecordingBackupStrategy secondBackup = new RecordingBackupStrategy();
		MigrationRun[] second = new MigrationRun[1];
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(RecordingBackupStrategy.class, () -> secondBackup)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				second[0] = context.getBean(MigrationStatusHolder.class).current().lastRun();
			});
		assertThat(second[0].outcome()).as("the instance that took the free lock").isEqualTo(RunOutcome.MIGRATED);

		release.countDown();
		Throwable failure = first.get(30, TimeUnit.SECONDS);
		assertThat(failure).isNotNull();
		assertThat(failure).cause()
			.isInstanceOf(MigrationLockLostException.class)
			.hasMessageContaining("The migration lock of flyway_schema_history was lost before the migration")
			.hasMessageContaining("nothing of it was done");
		assertThat(((MigrationLockLostException) failure.getCause()).getAction()).contains("idle_session_timeout")
			.contains("migrations-lock");
		assertThat(firstEvents.events(MigrationFailedEvent.class)).singleElement()
			.satisfies((event) -> {
				assertThat(event.getRun().outcome()).isEqualTo(RunOutcome.FAILED);
				assertThat(event.getRun().executed()).as("V2 was applied by the other instance").isEmpty();
			});
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history ORDER BY installed_rank", String.class))
			.as("V2 applied once, by the second instance")
			.containsExactly("1", "2");
	}

	@Test
	void anIdleSessionTimeoutDoesNotEndTheLock(TestDatabase database) {
		database.jdbc().execute("ALTER DATABASE \"" + database.name() + "\" SET idle_session_timeout = '300ms'");
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		RecordingBackupStrategy idleBackup = new RecordingBackupStrategy((request) -> {
			// The lock's session stays idle for well over the server's idle_session_timeout.
			long idleSince = System.nanoTime();
			Eventually.await("1 s of idle lock session", () -> System.nanoTime() - idleSince > 1_000_000_000L);
		});
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.lock.keep-alive-interval=1h")
			.withBean(RecordingBackupStrategy.class, () -> idleBackup)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
					.isEqualTo(RunOutcome.MIGRATED);
			});
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(60, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
