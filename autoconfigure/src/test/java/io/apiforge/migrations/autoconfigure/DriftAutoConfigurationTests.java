package io.apiforge.migrations.autoconfigure;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.drift.DriftCheck;
import io.apiforge.migrations.drift.DriftCheckMode;
import io.apiforge.migrations.drift.DriftDetector;
import io.apiforge.migrations.drift.DriftMonitor;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wiring of drift detection: on by default, off with
 * {@code migrations.drift.enabled=false}, and a user's beans win.
 */
@WithPostgres
class DriftAutoConfigurationTests {

	@Test
	void driftDetectionIsOnByDefault(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic").run((context) -> {
			assertThat(context).hasSingleBean(DriftDetector.class)
				.hasSingleBean(DriftCheck.class)
				.hasSingleBean(DriftMonitor.class);
			assertThat(context.getBean(MigrationOperations.class).isDriftDetectionEnabled()).isTrue();
			assertThat(context.getBean(DriftMonitor.class).isRunning()).as("a 10m interval by default").isTrue();
		});
	}

	@Test
	void disabledBacksOffAndLeavesNoTableBehind(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.drift.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(DriftDetector.class)
					.doesNotHaveBean(DriftCheck.class)
					.doesNotHaveBean(DriftMonitor.class);
				assertThat(context.getBean(MigrationOperations.class).isDriftDetectionEnabled()).isFalse();
				assertThat(context.getBean(MigrationStatusHolder.class).drift()).isNull();
			});
		assertThat(database.jdbc()
			.queryForObject("SELECT to_regclass('public.flyway_schema_history_fingerprints') IS NULL", Boolean.class))
			.isTrue();
	}

	@Test
	void aZeroIntervalStartsNoThread(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.drift.interval=0")
			.run((context) -> assertThat(context.getBean(DriftMonitor.class).isRunning()).isFalse());
	}

	@Test
	void aUsersDriftCheckReplacesTheBuiltInOne(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withUserConfiguration(UserDriftCheck.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(DriftCheck.class);
				assertThat(context).getBean("userDriftCheck").isSameAs(context.getBean(DriftCheck.class));
			});
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class UserDriftCheck {

		@org.springframework.context.annotation.Bean
		DriftCheck userDriftCheck(Flyway flyway, MigrationLockProvider lockProvider, MigrationStatusHolder status) {
			return new DriftCheck(new DriftDetector(flyway.getConfiguration(), lockProvider, status,
					java.time.Duration.ofSeconds(5), java.time.Clock.systemUTC()), DriftCheckMode.OFF);
		}

	}

}
