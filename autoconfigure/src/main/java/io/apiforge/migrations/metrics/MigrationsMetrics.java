package io.apiforge.migrations.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import io.apiforge.migrations.status.DriftSummary;
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
 * <li>{@value #LAST_RUN} (gauge, tags {@code operation} and {@code outcome})
 * [{@code migrations_last_run}]: 1 for the last run's operation and outcome, 0 for the
 * others, so that a scrape after a start-up run still sees how it ended;</li>
 * <li>{@value #CURRENT_VERSION}, {@value #EXPECTED_VERSION} (gauges)
 * [{@code migrations_version_current}, {@code migrations_version_expected}]: the
 * schema's version and the one the application ships, as numbers for dashboards (the
 * first two parts: {@code 2026.11.3} reads {@code 2026.11}; 0 for none, NaN when not
 * numeric);</li>
 * <li>{@value #DRIFT_OBJECTS} (gauge, tag {@code severity}: {@code schema},
 * {@code privileges}) [{@code migrations_drift_objects}]: objects that differ from the
 * stored reference of the current version, as the last drift check found them (0 before
 * the first, and while drift detection is off).</li>
 * </ul>
 * Tags take a few fixed values only, and every series an alert or a panel reads is
 * registered at start-up (at zero), so that the first failure counts as an increase.
 * Runs and backups are recorded from the events, gauges read the status holder. They
 * describe the application's own schema; the tenants' meters are {@link TenantMetrics}.
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

	/** Gauge, 1 for the operation and outcome of the last run, 0 for the others. */
	public static final String LAST_RUN = "migrations.last.run";

	/** Gauge of the objects that drifted from the stored reference, by severity. */
	public static final String DRIFT_OBJECTS = "migrations.drift.objects";

	/** The outcomes each operation's runs are timed with, registered from the start. */
	private static final Map<OperationType, List<RunOutcome>> TIMED = Map.of(OperationType.MIGRATE,
			List.of(RunOutcome.MIGRATED, RunOutcome.FAILED, RunOutcome.REFUSED), OperationType.ROLLBACK,
			List.of(RunOutcome.ROLLED_BACK, RunOutcome.FAILED, RunOutcome.REFUSED));

	/** The outcomes each operation's runs can end with, for the last-run gauge. */
	private static final Map<OperationType, List<RunOutcome>> OUTCOMES = Map.of(OperationType.MIGRATE,
			List.of(RunOutcome.MIGRATED, RunOutcome.UP_TO_DATE, RunOutcome.FAILED, RunOutcome.REFUSED),
			OperationType.VALIDATE, List.of(RunOutcome.VALIDATED), OperationType.ROLLBACK,
			List.of(RunOutcome.ROLLED_BACK, RunOutcome.UP_TO_DATE, RunOutcome.FAILED, RunOutcome.REFUSED),
			OperationType.BACKUP, List.of(RunOutcome.BACKED_UP, RunOutcome.FAILED, RunOutcome.REFUSED));

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
			.description("When the last run that left the schema where the application expects it ended, in epoch "
					+ "seconds (0 before the first)")
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
		Gauge.builder(DRIFT_OBJECTS, this.status, (status) -> driftObjects(status, true))
			.description("Objects that differ from the stored reference of the current version, at the last drift check")
			.tag("severity", "schema")
			.register(registry);
		Gauge.builder(DRIFT_OBJECTS, this.status, (status) -> driftObjects(status, false))
			.description("Objects that differ from the stored reference of the current version, at the last drift check")
			.tag("severity", "privileges")
			.register(registry);
		// Every series an alert or a panel reads exists from the start, at zero, so that
		// the first failure counts as an increase.
		TIMED.forEach((operation, outcomes) -> outcomes.forEach((outcome) -> runs(registry, operation, outcome)));
		backups(registry, "success");
		backups(registry, "failure");
		// What the last run did, for a scrape that comes after it (a start-up run ends
		// before the first scrape).
		OUTCOMES.forEach((operation, outcomes) -> outcomes
			.forEach((outcome) -> Gauge.builder(LAST_RUN, this.status, (status) -> isLastRun(status, operation, outcome))
				.description("1 for the operation and outcome of the last run, 0 for the others")
				.tag("operation", tag(operation))
				.tag("outcome", outcomeTag(outcome))
				.register(registry)));
	}

	private static double driftObjects(MigrationStatusHolder status, boolean schema) {
		DriftSummary drift = status.drift();
		if (drift == null) {
			return 0;
		}
		return schema ? drift.schemaObjects() : drift.privilegesObjects();
	}

	private static double isLastRun(MigrationStatusHolder status, OperationType operation, RunOutcome outcome) {
		MigrationRun run = status.current().lastRun();
		return (run != null && run.operation() == operation && run.outcome() == outcome) ? 1 : 0;
	}

	private static Timer runs(MeterRegistry registry, OperationType operation, RunOutcome outcome) {
		return Timer.builder(RUNS)
			.description("Runs that migrated, rolled back, failed or were refused")
			.tag("operation", tag(operation))
			.tag("outcome", outcomeTag(outcome))
			.register(registry);
	}

	private Timer backups(MeterRegistry registry, String outcome) {
		return Timer.builder(BACKUPS)
			.description("Backups taken before migrations and rollbacks, and on request")
			.tag("strategy", this.backupStrategy)
			.tag("outcome", outcome)
			.register(registry);
	}

	private static String tag(OperationType operation) {
		return operation.name().toLowerCase(Locale.ROOT);
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
			backups(this.registry, "failure").record(failed.getDuration());
		}
	}

	private void recordRun(MigrationRun run) {
		runs(this.registry, run.operation(), run.outcome()).record(run.duration());
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
		String strategy = this.backupStrategy;
		backups(this.registry, "success").record(backup.duration());
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
