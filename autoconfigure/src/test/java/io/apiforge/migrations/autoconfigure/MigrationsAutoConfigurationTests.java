package io.apiforge.migrations.autoconfigure;

import java.time.Clock;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.jdbc.AutoBackupStrategy;
import io.apiforge.migrations.backup.jdbc.JdbcBackupRestorer;
import io.apiforge.migrations.backup.pgdump.BackupRestorer;
import io.apiforge.migrations.backup.pgdump.PgDumpBackupStrategy;
import io.apiforge.migrations.lifecycle.ExitAfterMigrationListener;
import io.apiforge.migrations.operations.LifecycleFlywayMigrationStrategy;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.lifecycle.MigrationMode;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of {@link MigrationsAutoConfiguration}: when it applies, when it backs off, and
 * that a user's beans win.
 */
@WithPostgres
class MigrationsAutoConfigurationTests {

	private final ApplicationContextRunner withoutDatabase = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
				MigrationsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:postgresql://localhost:1/never-connected");

	@Test
	void backsOffWithoutFlywayOnTheClasspath() {
		this.withoutDatabase.withClassLoader(new FilteredClassLoader(Flyway.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MigrationOperations.class)
				.doesNotHaveBean(LifecycleFlywayMigrationStrategy.class));
	}

	@Test
	void backsOffWithoutADataSource() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class, MigrationsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(Flyway.class)
				.doesNotHaveBean(MigrationOperations.class));
	}

	@Test
	void backsOffWhenSpringBootsFlywayIsDisabled() {
		this.withoutDatabase.withPropertyValues("spring.flyway.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MigrationOperations.class));
	}

	@Test
	void backsOffWhenDisabledAndSpringBootMigratesAsBefore(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MigrationOperations.class)
				.doesNotHaveBean(MigrationStatusHolder.class)
				.doesNotHaveBean(MigrationsProperties.class));
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM flyway_schema_history", Integer.class))
			.isEqualTo(2);
	}

	@Test
	void contributesThePrimaryMigrationStrategyAndDefaults(TestDatabase database) {
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic").run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(MigrationOperations.class)
				.hasSingleBean(MigrationStatusHolder.class)
				.doesNotHaveBean(ExitAfterMigrationListener.class);
			assertThat(context.getBean(FlywayMigrationStrategy.class)).isInstanceOf(LifecycleFlywayMigrationStrategy.class);
			assertThat(context.getBean(MigrationLockProvider.class)).isInstanceOf(PostgresAdvisoryLockProvider.class);
			assertThat(context.getBean(BackupStrategy.class)).isInstanceOf(AutoBackupStrategy.class);
			assertThat(((AutoBackupStrategy) context.getBean(BackupStrategy.class)).chosen())
				.as("pg_dump is on the PATH").isInstanceOf(PgDumpBackupStrategy.class);
			MigrationsProperties properties = context.getBean(MigrationsProperties.class);
			assertThat(properties.getMode()).isEqualTo(MigrationMode.MIGRATE);
		});
	}

	@Test
	void theRestorersAreCreatedOnlyWhenAskedFor(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic").run((context) -> {
			assertThat(context).hasNotFailed();
			for (String name : List.of("migrationBackupRestorer", "migrationJdbcBackupRestorer")) {
				assertThat(context.getBeanFactory().containsSingleton(name)).as(name + " before it is asked for")
					.isFalse();
			}
			assertThat(context.getBean(BackupRestorer.class)).isNotNull();
			assertThat(context.getBean(JdbcBackupRestorer.class)).isNotNull();
			assertThat(context.getBeanFactory().containsSingleton("migrationJdbcBackupRestorer")).isTrue();
		});
	}

	@Test
	void theUsersBeansWin(TestDatabase database) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", "1");
		CountingLockProvider lock = new CountingLockProvider();
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		MigrationStatusHolder status = new MigrationStatusHolder(Clock.systemUTC());
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(CountingLockProvider.class, () -> lock)
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.withBean(MigrationStatusHolder.class, () -> status)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).getBean(MigrationLockProvider.class).isSameAs(lock);
				assertThat(context).getBean(BackupStrategy.class).isSameAs(backup);
				assertThat(context).getBean(MigrationStatusHolder.class).isSameAs(status);
			});
		assertThat(lock.acquisitions()).isEqualTo(1);
		assertThat(backup.requests()).hasSize(1);
		assertThat(status.current().lastRun()).isNotNull();
	}

	@Test
	void migrateAndExitModeIsBoundInAnySpellingAndAddsTheExitListener() {
		this.withoutDatabase.withPropertyValues("spring.flyway.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ExitAfterMigrationListener.class));
		for (String spelling : new String[] { "migrate-and-exit", "MIGRATE_AND_EXIT", "migrate_and_exit" }) {
			assertThat(MigrationModes.isOneShot(
					new org.springframework.mock.env.MockEnvironment().withProperty("migrations.mode", spelling)))
				.as(spelling)
				.isTrue();
		}
	}

	@Test
	void migrateAndExitModeAddsTheExitListener(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=migrate-and-exit")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ExitAfterMigrationListener.class));
	}

	@Test
	void twoUserMigrationStrategiesAreRefusedBeforeAnyLockOrBackup(TestDatabase database) {
		CountingLockProvider lock = new CountingLockProvider();
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(CountingLockProvider.class, () -> lock)
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.withBean("first", FlywayMigrationStrategy.class, () -> Flyway::migrate)
			.withBean("second", FlywayMigrationStrategy.class, () -> Flyway::migrate)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MigrationsException.class)
					.hasMessageContaining("Found 2 FlywayMigrationStrategy beans");
			});
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.as("nothing migrated").doesNotContain("items");
		assertThat(lock.acquisitions()).isZero();
		assertThat(backup.requests()).isEmpty();
	}

}
