package io.apiforge.migrations.operations;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.events.RollbackFailedEvent;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.operations.failing.V4__Add_notes_undo_unreadable;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.ClassNamedPools;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.RecordingEventListener;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The operations through their facade: every failure recorded and published the same
 * way, backups labelled from what the lock protects, and a lock that cannot have its own
 * connection said at start-up.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class MigrationOperationsIntegrationTests {

	@Test
	void anUncheckedErrorInAnUndoIsRecordedAndPublishedLikeAnyFailure(TestDatabase database) {
		RecordingEventListener listener = new RecordingEventListener();
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo")
			.withBean(V4__Add_notes_undo_unreadable.class, V4__Add_notes_undo_unreadable::new)
			.withBean(RecordingEventListener.class, () -> listener)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThatExceptionOfType(MigrationsException.class)
					.isThrownBy(() -> context.getBean(MigrationOperations.class).rollback("3"))
					.withMessageContaining("Undo of version 4")
					.withMessageContaining("stream closed");
				MigrationRun run = context.getBean(MigrationStatusHolder.class).current().lastRun();
				assertThat(run.operation()).isEqualTo(OperationType.ROLLBACK);
				assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
				assertThat(run.error()).contains("stream closed");
			});
		assertThat(listener.events(RollbackFailedEvent.class)).singleElement()
			.satisfies((event) -> assertThat(event.getFailure().getMessage()).contains("stream closed"));
		assertThat(database.jdbc()
			.queryForObject("SELECT max(version::int) FROM flyway_schema_history WHERE success", Integer.class))
			.as("version 4 is still applied").isEqualTo(4);
	}

	@Test
	void anOnDemandBackupIsLabelledWithTheVersionReadUnderTheLock(TestDatabase database) throws Exception {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		RecordingBackupStrategy backups = new RecordingBackupStrategy();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=validate", "migrations.lock.retry-interval=20ms")
			.withBean(RecordingBackupStrategy.class, () -> backups)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));
				CompletableFuture<BackupRecord> backup;
				try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
						Duration.ofSeconds(5))) {
					backup = CompletableFuture.supplyAsync(() -> context.getBean(MigrationOperations.class).backup());
					AdvisoryLockWaiters.await(database, 1);
					// Another instance migrates while the backup waits.
					Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
				}
				BackupRecord taken = backup.get(30, TimeUnit.SECONDS);
				assertThat(backups.requests()).singleElement().satisfies((request) -> {
					assertThat(request.fromVersion()).isEqualTo("2");
					assertThat(request.toVersion()).isEqualTo("2");
					assertThat(request.kind()).isEqualTo(BackupKind.ON_REQUEST);
				});
				assertThat(taken.fromVersion()).isEqualTo("2");
				MigrationRun run = context.getBean(MigrationStatusHolder.class).current().lastRun();
				assertThat(run.operation()).isEqualTo(OperationType.BACKUP);
				assertThat(run.outcome()).isEqualTo(RunOutcome.BACKED_UP);
			});
	}

	@Test
	void aLockThatWouldShareATooSmallPoolIsRefusedAtStartup(TestDatabase database) {
		try (HikariDataSource pool = ClassNamedPools.of(database, 2)) {
			MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
				.withBean(javax.sql.DataSource.class, () -> pool)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).cause()
						.isInstanceOf(MigrationsException.class)
						.hasMessageContaining("The migration lock cannot open a connection of its own")
						.hasMessageContaining("one of the pool's 2 connections")
						.satisfies((failure) -> assertThat(((MigrationsException) failure).getAction())
							.contains("spring.datasource.url")
							.contains("spring.datasource.hikari.maximum-pool-size"));
				});
		}
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.as("nothing migrated").isEmpty();
	}

	@Test
	void aLockThatSharesALargeEnoughPoolIsSaidOnceAndWorks(TestDatabase database, CapturedOutput output) {
		try (HikariDataSource pool = ClassNamedPools.of(database, 5)) {
			MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
				.withBean(javax.sql.DataSource.class, () -> pool)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
						.isEqualTo(RunOutcome.MIGRATED);
				});
		}
		assertThat(output.getOut().split("cannot open a connection of its own", -1)).hasSize(2);
		assertThat(output).contains("takes a connection from the application's pool");
	}

}
