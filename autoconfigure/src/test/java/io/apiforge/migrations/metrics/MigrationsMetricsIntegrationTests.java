package io.apiforge.migrations.metrics;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.autoconfigure.MigrationsMetricsAutoConfiguration;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters, recorded in a real registry by real lifecycle runs.
 */
@WithPostgres
class MigrationsMetricsIntegrationTests {

	@TempDir
	Path backups;

	@Test
	void aMigratingRunWithABackupIsMeasured(TestDatabase database) {
		io.apiforge.migrations.autoconfigure.MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("migrations.runs").tag("outcome", "migrated").timer().count()).isEqualTo(1);
			assertThat(registry.get("migrations.executed").counter().count()).isEqualTo(1);
			assertThat(registry.get("migrations.pending").gauge().value()).isZero();
			assertThat(registry.get("migrations.failed").gauge().value()).isZero();
			assertThat(registry.get("migrations.version.current").gauge().value()).isEqualTo(2.0);
			assertThat(registry.get("migrations.version.expected").gauge().value()).isEqualTo(2.0);
			assertThat(registry.get("migrations.last.success").gauge().value()).isEqualTo((double) context
				.getBean(MigrationStatusHolder.class)
				.current()
				.lastRun()
				.finishedAt()
				.getEpochSecond());
			assertThat(registry.get("migrations.backups").tag("strategy", "pg-dump").tag("outcome", "success").timer().count())
				.isEqualTo(1);
			assertThat(registry.get("migrations.backup.size").tag("strategy", "pg-dump").summary().totalAmount())
				.isPositive();
		});
	}

	@Test
	void aFailedBackupIsMeasuredWithTheConfiguredStrategy(TestDatabase database) {
		io.apiforge.migrations.autoconfigure.MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		runner(database).withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.pg-dump.path=/nowhere/pg_dump",
				"migrations.backup.on-failure=continue")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("migrations.backups").tag("strategy", "pg-dump").tag("outcome", "failure").timer().count())
					.isEqualTo(1);
				assertThat(registry.get("migrations.runs").tag("outcome", "migrated").timer().count()).isEqualTo(1);
			});
	}

	@Test
	void aRunThatFailsIsMeasuredAsFailed(TestDatabase database) {
		io.apiforge.migrations.autoconfigure.MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		MeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		runner(database).withPropertyValues("spring.flyway.locations=classpath:db/broken", "migrations.backup.strategy=none")
			.withBean(MeterRegistry.class, () -> registry)
			.run((context) -> assertThat(context).hasFailed());
		assertThat(registry.get("migrations.runs").tag("outcome", "failed").timer().count()).isEqualTo(1);
		assertThat(registry.find("migrations.runs").tag("outcome", "migrated").timer()).isNull();
	}

	@Test
	void rollbacksAreMeasuredLikeAnyRun(TestDatabase database) {
		runner(database).withPropertyValues("spring.flyway.locations=classpath:db/undo", "migrations.backup.strategy=none")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(io.apiforge.migrations.operations.MigrationOperations.class).rollback("2");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("migrations.runs")
					.tag("operation", "rollback")
					.tag("outcome", "rolled_back")
					.timer()
					.count()).isEqualTo(1);
				assertThat(registry.get("migrations.runs").tag("operation", "migrate").tag("outcome", "migrated").timer()
					.count()).isEqualTo(1);
				org.assertj.core.api.Assertions
					.assertThatExceptionOfType(io.apiforge.migrations.MigrationsException.class)
					.isThrownBy(() -> context.getBean(io.apiforge.migrations.operations.MigrationOperations.class)
						.rollback("7"));
				assertThat(registry.get("migrations.runs").tag("operation", "rollback").tag("outcome", "refused").timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aFailedBackupIsMeasuredWithItsRealDuration(TestDatabase database) {
		io.apiforge.migrations.autoconfigure.MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		runner(database).withPropertyValues("migrations.backup.on-failure=continue")
			.withBean(io.apiforge.migrations.backup.BackupStrategy.class, () -> (request) -> {
				long start = System.nanoTime();
				while (System.nanoTime() - start < 50_000_000L) {
					Thread.onSpinWait();
				}
				throw new io.apiforge.migrations.backup.BackupException("the snapshot API said no", "try again", null);
			})
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				io.micrometer.core.instrument.Timer failures = registry.get("migrations.backups")
					.tag("outcome", "failure")
					.timer();
				assertThat(failures.count()).isEqualTo(1);
				assertThat(failures.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
			});
	}

	@Test
	void aValidationWithMigrationsPendingIsNoSuccess(TestDatabase database) {
		io.apiforge.migrations.autoconfigure.MigrationLifecycleIntegrationTestsAccess.migrate(database, "1");
		runner(database).withPropertyValues("migrations.mode=validate").run((context) -> {
			assertThat(context).hasNotFailed();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("migrations.last.success").gauge().value()).isZero();
			assertThat(registry.get("migrations.pending").gauge().value()).isEqualTo(1.0);
		});
	}

	@Test
	void everySeriesAnAlertReadsExistsFromTheStartAtZero(TestDatabase database) {
		runner(database).withPropertyValues("migrations.backup.strategy=none").run((context) -> {
			assertThat(context).hasNotFailed();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String[] series : new String[][] { { "migrate", "failed" }, { "migrate", "refused" },
					{ "rollback", "rolled_back" }, { "rollback", "failed" }, { "rollback", "refused" } }) {
				assertThat(registry.get("migrations.runs").tag("operation", series[0]).tag("outcome", series[1]).timer()
					.count()).as("%s/%s", series[0], series[1]).isZero();
			}
			assertThat(registry.get("migrations.backups").tag("strategy", "none").tag("outcome", "failure").timer()
				.count()).isZero();
			assertThat(registry.get("migrations.backups").tag("strategy", "none").tag("outcome", "success").timer()
				.count()).isZero();
		});
	}

	@Test
	void theLastRunStaysVisibleAfterItEnded(TestDatabase database) {
		MeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
		runner(database).withPropertyValues("spring.flyway.locations=classpath:db/undo", "migrations.backup.strategy=none")
			.withBean(MeterRegistry.class, () -> registry)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(lastRun(registry, "migrate", "migrated")).isEqualTo(1);
				assertThat(lastRun(registry, "migrate", "failed")).isZero();
				org.assertj.core.api.Assertions
					.assertThatExceptionOfType(io.apiforge.migrations.MigrationsException.class)
					.isThrownBy(() -> context.getBean(io.apiforge.migrations.operations.MigrationOperations.class)
						.rollback("7"));
				assertThat(lastRun(registry, "rollback", "refused")).isEqualTo(1);
				assertThat(lastRun(registry, "migrate", "migrated")).isZero();
			});
	}

	private static double lastRun(MeterRegistry registry, String operation, String outcome) {
		return registry.get("migrations.last.run").tag("operation", operation).tag("outcome", outcome).gauge().value();
	}

	@Test
	void versionsReadAsNumbersForDashboards() {
		assertThat(MigrationsMetrics.versionNumber(null)).isZero();
		assertThat(MigrationsMetrics.versionNumber("3")).isEqualTo(3.0);
		assertThat(MigrationsMetrics.versionNumber("1.1")).isEqualTo(1.1);
		assertThat(MigrationsMetrics.versionNumber("2026.11.24.1")).isEqualTo(2026.11);
		assertThat(MigrationsMetrics.versionNumber("1_2")).isEqualTo(1.2);
		assertThat(MigrationsMetrics.versionNumber("abc")).isNaN();
	}

	private ApplicationContextRunner runner(TestDatabase database) {
		return MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
					MigrationsMetricsAutoConfiguration.class))
			.withPropertyValues("migrations.backup.directory=" + this.backups);
	}

}
