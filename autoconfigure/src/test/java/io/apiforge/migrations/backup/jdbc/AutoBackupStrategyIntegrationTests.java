package io.apiforge.migrations.backup.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.autoconfigure.MigrationLifecycleIntegrationTestsAccess;
import io.apiforge.migrations.autoconfigure.MigrationsMetricsAutoConfiguration;
import io.apiforge.migrations.backup.BackupCatalog;
import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.metrics.MigrationsMetrics;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.DatabaseSnapshot;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.backup.strategy=auto} in an application: without a usable
 * {@code pg_dump} it takes a {@code jdbc} backup, says why, and migrates; the backup
 * restores the state before the migration; an object the {@code jdbc} backup cannot
 * rebuild stops the start-up before anything is migrated.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class AutoBackupStrategyIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void withoutPgDumpAutoTakesAJdbcBackupThatRestoresAndMigrates(TestDatabase database, PostgresServer server,
			CapturedOutput output) throws Exception {
		MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		database.jdbc().execute("INSERT INTO items (id, name) SELECT 100 + g, 'item ' || g FROM generate_series(1, 50) g");
		DatabaseSnapshot beforeMigration = DatabaseSnapshot.of(database);
		BackupRecord[] backup = new BackupRecord[1];
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + this.temp,
					"migrations.backup.pg-dump.path=/nowhere/pg_dump")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BackupStrategy.class).name()).isEqualTo("jdbc");
				assertThat(context.getBean(MigrationStatusHolder.class).current().schema().currentVersion())
					.isEqualTo("2");
				backup[0] = context.getBean(MigrationStatusHolder.class).current().lastBackup();
				assertThat(context.getBean(BackupCatalog.class).list()).singleElement()
					.satisfies((listed) -> assertThat(listed.location()).isEqualTo(backup[0].location()));
			});
		assertThat(backup[0]).isNotNull();
		assertThat(backup[0].strategy()).isEqualTo("jdbc");
		assertThat(output).contains("Backups (migrations.backup.strategy=auto): jdbc")
			.contains("because there is no compatible pg_dump: No executable pg_dump at /nowhere/pg_dump")
			.as("no format was set, so none is ignored")
			.doesNotContain("migrations.backup.format=directory");
		Path file = Path.of(backup[0].location());
		assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".json")))
			.contains("\"chosenBecause\": \"no compatible pg_dump: No executable pg_dump at /nowhere/pg_dump");
		try (TestDatabase restored = TestDatabase.create(server)) {
			JdbcBackupStrategyTests.psql(JdbcBackupStrategy.restoreCommand(file, database.dataSource()), restored);
			assertThat(DatabaseSnapshot.of(restored)).isEqualTo(beforeMigration);
		}
	}

	@Test
	void withoutPgDumpAutoWarnsThatTheDirectoryFormatAndItsJobsAreIgnored(TestDatabase database,
			CapturedOutput output) {
		MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + this.temp,
					"migrations.backup.pg-dump.path=/nowhere/pg_dump", "migrations.backup.format=directory",
					"migrations.backup.jobs=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				BackupRecord backup = context.getBean(MigrationStatusHolder.class).current().lastBackup();
				assertThat(backup).isNotNull();
				assertThat(backup.location()).endsWith("_v1_to_v2.sql.gz");
			});
		assertThat(output.getOut().lines().filter((line) -> line.contains(" WARN ")))
			.filteredOn((line) -> line.contains("migrations.backup.format=directory"))
			.singleElement()
			.asString()
			.contains("migrations.backup.format=directory and migrations.backup.jobs=3 are ignored")
			.contains("the jdbc strategy, chosen because there is no compatible pg_dump, writes a gzipped SQL script "
					+ "(.sql.gz) instead");
	}

	@Test
	void aStartWithNothingPendingRunsNoClientProgramWhileTheApplicationStarts(TestDatabase database)
			throws Exception {
		MigrationLifecycleIntegrationTestsAccess.migrate(database, "2");
		Path ran = this.temp.resolve("ran");
		Path pgDump = this.temp.resolve("bin/pg_dump");
		Files.createDirectories(pgDump.getParent());
		PgClientWrappers.script(pgDump, "echo \"$@\" >> '" + ran + "'\necho 'pg_dump (PostgreSQL) 15.4'");
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					MigrationsMetricsAutoConfiguration.class))
			.withPropertyValues("migrations.backup.directory=" + this.temp.resolve("backups"),
					"migrations.backup.pg-dump.path=" + pgDump)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				// The meters are tagged with the strategy auto will likely choose, found
				// without running it: the check runs once the application is ready.
				assertThat(context.getBean(MeterRegistry.class)
					.get(MigrationsMetrics.BACKUPS)
					.tag("strategy", "pg-dump")
					.tag("outcome", "success")
					.timer()
					.count()).isZero();
				assertThat(ran).as("a client program ran while the application started").doesNotExist();
			});
	}

	@Test
	void strategyJdbcBacksUpOverJdbcEvenWithPgDumpOnThePath(TestDatabase database) {
		MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + this.temp, "migrations.backup.strategy=jdbc")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BackupStrategy.class)).isInstanceOf(JdbcBackupStrategy.class);
				BackupRecord backup = context.getBean(MigrationStatusHolder.class).current().lastBackup();
				assertThat(backup).isNotNull();
				assertThat(backup.strategy()).isEqualTo("jdbc");
				assertThat(backup.location()).endsWith("_v1_to_v2.sql.gz");
			});
	}

	@Test
	void anObjectTheJdbcBackupCannotRebuildStopsTheStartupAndNothingIsMigrated(TestDatabase database) {
		MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		database.jdbc().execute("CREATE RULE keep_items AS ON DELETE TO items DO INSTEAD NOTHING");
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + this.temp,
					"migrations.backup.pg-dump.path=/nowhere/pg_dump")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(BackupException.class)
					.hasMessageContaining("rule keep_items on public.items");
			});
		assertThat(database.jdbc()
			.queryForObject("SELECT max(version) FROM flyway_schema_history WHERE success", String.class))
			.isEqualTo("1");
	}

}
