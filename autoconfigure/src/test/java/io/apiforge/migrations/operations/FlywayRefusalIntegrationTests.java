package io.apiforge.migrations.operations;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.lifecycle.MigrationFailedException;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Flyway's {@code migrate()} would refuse is refused before the lock and the backup,
 * which can take minutes on a large database, with Flyway's reason and the fix.
 */
@WithPostgres
class FlywayRefusalIntegrationTests {

	@Test
	void aNonEmptySchemaWithoutHistoryIsRefusedBeforeAnyBackup(TestDatabase database) {
		database.jdbc().execute("CREATE TABLE legacy (id int PRIMARY KEY)");
		MigrationFailedException refusal = refusedBeforeTheLockAndTheBackup(database);
		assertThat(refusal).hasMessageContaining("schema(s) \"public\" hold objects but no schema history table")
			.hasMessageContaining("Nothing was locked or backed up");
		assertThat(refusal.getAction()).contains("spring.flyway.baseline-on-migrate=true");
	}

	@Test
	void withBaselineOnMigrateTheSameSchemaMigrates(TestDatabase database) {
		database.jdbc().execute("CREATE TABLE legacy (id int PRIMARY KEY)");
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("0", "1", "2");
	}

	@Test
	void anEditedAppliedScriptIsRefusedBeforeAnyBackup(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		database.jdbc().update("UPDATE flyway_schema_history SET checksum = 42 WHERE version = '1'");
		MigrationFailedException refusal = refusedBeforeTheLockAndTheBackup(database);
		assertThat(refusal).hasMessageContaining("Migration checksum mismatch for version 1 (V1__create_items.sql): applied 42");
		assertThat(refusal.getAction()).contains("repair");
	}

	@Test
	void aMismatchFlywayIsToldToIgnoreIsNotRefused(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (2, '1.5', 'gone', 'SQL', 'V1_5__gone.sql', 0, "
					+ "current_user, 1, true)");
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("spring.flyway.ignore-migration-patterns=*:missing")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static MigrationFailedException refusedBeforeTheLockAndTheBackup(TestDatabase database) {
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		CountingLockProvider lock = new CountingLockProvider();
		Throwable[] failure = new Throwable[1];
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasFailed();
				failure[0] = context.getStartupFailure().getCause();
			});
		assertThat(backup.requests()).isEmpty();
		assertThat(lock.acquisitions()).isZero();
		assertThat(failure[0]).isInstanceOf(MigrationFailedException.class);
		return (MigrationFailedException) failure[0];
	}

}
