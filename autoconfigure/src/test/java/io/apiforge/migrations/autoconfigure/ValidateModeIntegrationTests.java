package io.apiforge.migrations.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.lifecycle.PendingMigrationsException;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaState;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.mode=validate}: the application never migrates, it reports.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class ValidateModeIntegrationTests {

	@Test
	void pendingMigrationsAreReportedNotApplied(TestDatabase database, CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		CountingLockProvider lock = new CountingLockProvider();
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=validate")
			.withBean(CountingLockProvider.class, () -> lock)
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MigrationStatus status = context.getBean(MigrationStatusHolder.class).current();
				assertThat(status.schema().state()).isEqualTo(SchemaState.PENDING);
				assertThat(status.schema().currentVersion()).isEqualTo("1");
				assertThat(status.schema().expectedVersion()).isEqualTo("2");
				assertThat(status.schema().pending()).extracting(MigrationSummary::script)
					.containsExactly("V2__add_price.sql");
				assertThat(status.lastRun().outcome()).isEqualTo(RunOutcome.VALIDATED);
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(backup.requests()).isEmpty();
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history ORDER BY installed_rank", String.class))
			.containsExactly("1");
		assertThat(output).contains("WARN")
			.contains("Validated flyway_schema_history (migrations.mode=validate, nothing is migrated): schema at version 1, "
					+ "this application expects 2, state PENDING. Pending: V2 \"add price\".");
	}

	@Test
	void failOnPendingRefusesToStartAndSaysWhatToRun(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=validate", "migrations.validate.fail-on-pending=true")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(PendingMigrationsException.class)
					.hasMessage("2 migration(s) pending and migrations.mode=validate does not migrate: "
							+ "V1 \"create items\", V2 \"add price\". The schema is at version <none>, this application expects 2.")
					.satisfies((failure) -> assertThat(((PendingMigrationsException) failure).getAction())
						.contains("migrations.mode=migrate-and-exit")
						.contains("migrations.validate.fail-on-pending=false"));
			});
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.isEmpty();
	}

	@Test
	void anUpToDateSchemaStartsEvenWithFailOnPending(TestDatabase database) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic");
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=validate", "migrations.validate.fail-on-pending=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().schema().state())
					.isEqualTo(SchemaState.UP_TO_DATE);
			});
	}

}
