package io.apiforge.migrations.metrics;

import java.time.Instant;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.events.BackupCompletedEvent;
import io.apiforge.migrations.events.BackupFailedEvent;
import io.apiforge.migrations.events.MigrationRunEvent;
import io.apiforge.migrations.events.MigrationLifecycleEvent;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;

/**
 * The lifecycle's meters. Names (Prometheus names in brackets):
 * <ul>
 * <li>{@value #RUNS} (timer, tags {@code operation}: {@code migrate}, {@code rollback};
 * {@code outcome}: {@code migrated}, {@code rolled_back}, {@code failed},
 * {@code refused}) [{@code migrations_runs_seconds_count|sum|max}]: runs that changed the
 * schema, failed or were refused;</li>
 * <li>{@value #EXECUTED} (counter) [{@code migrations_executed_total}]: migrations
 * applied;</li>
 * <li>{@value #PENDING}, {@value #FAILED} (gauges) [{@code migrations_pending},
 * {@code migrations_failed}]: pending and failed migrations as last seen;</li>
 * <li>{@value #BACKUPS} (timer, tags {@code strategy}, {@code outcome}:
 * {@code success}, {@code failure}, with the real duration of a failed one)
 * [{@code migrations_backups_seconds_*}];</li>
 * <li>{@value #BACKUP_SIZE} (distribution summary in bytes, tag {@code strategy})
 * [{@code migrations_backup_size_bytes_*}];</li>
 * <li>{@value #LAST_SUCCESS} (gauge, epoch seconds, 0 before the first)
 * [{@code migrations_last_success_seconds}]: when the last run that left the schema where
 * the application expects it ended;</li>
 * <li>{@value #CURRENT_VERSION}, {@value #EXPECTED_VERSION} (gauges)
 * [{@code migrations_version_current}, {@code migrations_version_expected}]: the
 * schema's version and the one the application ships, as numbers for dashboards (the
 * first two parts: {@code 2026.11.3} reads {@code 2026.11}; 0 for none, NaN when not
 * numeric).</li>
 * </ul>
 * Tags take a few fixed values only. Runs and backups are recorded from the lifecycle's
 * events, gauges read the status holder.
 *
 * @author apiforge
 */
public class MigrationsMetrics implements MeterBinder, ApplicationListener<MigrationLifecycleEvent> {

	/** Timer of lifecycle runs that migrated or failed. */
	public static final String RUNS = "migrations.runs";

	/** Counter of migrations applied. */
	public static final String EXECUTED = "migrations.executed";

	/** Gauge of pending migrations. */
	public static final String PENDING = "migrations.pending";

	/** Gauge of failed migrations. */
	public static final String FAILED = "migrations.failed";

	/** Timer of backups. */
	public static final String BACKUPS = "migrations.backups";

	/** Distribution of backup sizes in bytes. */
	public static final String BACKUP_SIZE = "migrations.backup.size";

	/** Gauge of the epoch seconds of the last run that did not fail. */
	public static final String LAST_SUCCESS = "migrations.last.success";

	/** Gauge of the schema's current version, as a number. */
	public static final String CURRENT_VERSION = "migrations.version.current";

	/** Gauge of the version the application ships, as a number. */
	public static final String EXPECTED_VERSION = "migrations.version.expected";

	private final MigrationStatusHolder status;

	private final MeterRegistry registry;

	private final String backupStrategy;

	/**
	 * Create the meters.
	 * @param status the status the gauges read
	 * @param registry the registry runs and backups are recorded in
	 * @param backupStrategy the name of the configured backup strategy, the tag of
	 * failed backups
	 */
	public MigrationsMetrics(MigrationStatusHolder status, MeterRegistry registry, String backupStrategy) {
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(registry, "'registry' must not be null");
		Assert.hasText(backupStrategy, "'backupStrategy' must not be empty");
		this.status = status;
		this.registry = registry;
		this.backupStrategy = backupStrategy;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(PENDING, this.status, (status) -> status.current().schema().pending().size())
			.description("Migrations waiting to be applied, as last seen")
			.register(registry);
		Gauge.builder(FAILED, this.status, (status) -> status.current().schema().failed().size())
			.description("Migrations recorded as failed in the schema history, as last seen")
			.register(registry);
		Gauge.builder(LAST_SUCCESS, this.status, MigrationsMetrics::lastSuccessEpochSeconds)
			.description("When the last lifecycle run that did not fail ended, in epoch seconds (0 before the first)")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder(CURRENT_VERSION, this.status, (status) -> versionNumber(status.current().schema().currentVersion()))
			.description("The schema's current version as a number (first two parts)")
			.register(registry);
		Gauge.builder(EXPECTED_VERSION, this.status,
				(status) -> versionNumber(status.current().schema().expectedVersion()))
			.description("The version this application ships as a number (first two parts)")
			.register(registry);
		Counter.builder(EXECUTED).description("Migrations applied by the lifecycle").register(registry);
	}

	static double versionNumber(@Nullable String version) {
		if (version == null) {
			return 0;
		}
		String[] parts = version.split("[._]");
		try {
			return Double.parseDouble(parts[0] + ((parts.length > 1) ? "." + parts[1] : ""));
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	@Override
	public void onApplicationEvent(MigrationLifecycleEvent event) {
		if (event instanceof MigrationRunEvent runEvent) {
			recordRun(runEvent.getRun());
		}
		else if (event instanceof BackupCompletedEvent backup) {
			recordBackup(backup.getBackup());
		}
		else if (event instanceof BackupFailedEvent failed) {
			Timer.builder(BACKUPS)
				.description("Backups taken before migrations and rollbacks, and on request")
				.tag("strategy", this.backupStrategy)
				.tag("outcome", "failure")
				.register(this.registry)
				.record(failed.getDuration());
		}
	}

	private void recordRun(MigrationRun run) {
		Timer.builder(RUNS)
			.description("Runs that migrated, rolled back, failed or were refused")
			.tag("operation", run.operation().name().toLowerCase(Locale.ROOT))
			.tag("outcome", outcomeTag(run.outcome()))
			.register(this.registry)
			.record(run.duration());
		if (run.operation() != OperationType.MIGRATE) {
			return;
		}
		Counter.builder(EXECUTED)
			.description("Migrations applied by the lifecycle")
			.register(this.registry)
			.increment(run.executed().size());
	}

	private static String outcomeTag(RunOutcome outcome) {
		return switch (outcome) {
			case MIGRATED -> "migrated";
			case ROLLED_BACK -> "rolled_back";
			case REFUSED -> "refused";
			case FAILED -> "failed";
			default -> outcome.name().toLowerCase(Locale.ROOT);
		};
	}

	private void recordBackup(BackupRecord backup) {
		String strategy = backup.strategy().toLowerCase(Locale.ROOT);
		Timer.builder(BACKUPS)
			.description("Backups taken before migrations")
			.tag("strategy", strategy)
			.tag("outcome", "success")
			.register(this.registry)
			.record(backup.duration());
		if (backup.sizeBytes() >= 0) {
			DistributionSummary.builder(BACKUP_SIZE)
				.description("Size of the backups taken before migrations")
				.baseUnit("bytes")
				.tag("strategy", strategy)
				.register(this.registry)
				.record(backup.sizeBytes());
		}
	}

	private static double lastSuccessEpochSeconds(MigrationStatusHolder status) {
		Instant lastSuccess = status.current().lastSuccessAt();
		return (lastSuccess != null) ? lastSuccess.getEpochSecond() : 0;
	}

}
