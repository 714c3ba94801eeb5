package io.apiforge.migrations.status;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * Holds the current {@link MigrationStatus}, and the runs in progress. Thread-safe:
 * readers (the endpoint, health probes) get an immutable snapshot without locking, and
 * writers replace it atomically.
 *
 * @author apiforge
 */
public class MigrationStatusHolder {

	private final AtomicReference<MigrationStatus> status;

	private final List<RunTracker> running = new CopyOnWriteArrayList<>();

	private final AtomicReference<@Nullable DriftSummary> drift = new AtomicReference<>();

	/**
	 * Create a holder whose schema is {@link SchemaState#UNKNOWN} until the lifecycle
	 * first inspects it.
	 * @param clock the clock that stamps the initial status
	 */
	public MigrationStatusHolder(Clock clock) {
		Assert.notNull(clock, "'clock' must not be null");
		this.status = new AtomicReference<>(new MigrationStatus(SchemaSnapshot.unknown(clock.instant()), null, null, null, null));
	}

	/**
	 * Return the current status.
	 * @return the status, never {@code null}
	 */
	public MigrationStatus current() {
		return this.status.get();
	}

	/**
	 * Record a fresh view of the schema, keeping the last run and backup.
	 * @param schema the schema as Flyway reports it now
	 */
	public void recordSchema(SchemaSnapshot schema) {
		Assert.notNull(schema, "'schema' must not be null");
		this.status.updateAndGet(
				(current) -> new MigrationStatus(schema, current.lastRun(), current.lastBackup(), current.lastSuccessAt(),
						null));
	}

	/**
	 * Replace the schema with a refreshed view of it, unless someone recorded another
	 * meanwhile (which is newer).
	 * @param expected the schema the refreshed view was made from
	 * @param refreshed the refreshed view
	 */
	public void refreshSchema(SchemaSnapshot expected, SchemaSnapshot refreshed) {
		Assert.notNull(refreshed, "'refreshed' must not be null");
		this.status.updateAndGet((current) -> (current.schema() == expected)
				? new MigrationStatus(refreshed, current.lastRun(), current.lastBackup(), current.lastSuccessAt(), null)
				: current);
	}

	/**
	 * Record that a refresh of the schema failed, keeping the schema as last seen, unless
	 * someone recorded another schema meanwhile.
	 * @param expected the schema the refresh started from
	 * @param failure what failed, and when
	 */
	public void refreshFailed(SchemaSnapshot expected, MigrationStatus.RefreshFailure failure) {
		Assert.notNull(failure, "'failure' must not be null");
		this.status.updateAndGet((current) -> (current.schema() == expected)
				? new MigrationStatus(current.schema(), current.lastRun(), current.lastBackup(), current.lastSuccessAt(),
						failure)
				: current);
	}

	/**
	 * Record a backup taken outside a run (on an operator's request).
	 * @param backup the backup
	 */
	public void recordBackup(BackupRecord backup) {
		Assert.notNull(backup, "'backup' must not be null");
		this.status.updateAndGet((current) -> new MigrationStatus(current.schema(), current.lastRun(), backup,
				current.lastSuccessAt(), current.refreshFailure()));
	}

	/**
	 * Record a finished run and the schema as it left it.
	 * @param schema the schema after the run
	 * @param run the run
	 */
	public void recordRun(SchemaSnapshot schema, MigrationRun run) {
		Assert.notNull(schema, "'schema' must not be null");
		Assert.notNull(run, "'run' must not be null");
		this.status.updateAndGet((current) -> new MigrationStatus(schema, run,
				(run.backup() != null) ? run.backup() : current.lastBackup(),
				leftTheSchemaAsExpected(run, schema) ? run.finishedAt() : current.lastSuccessAt(), null));
	}

	/**
	 * Whether a run counts as a success for an operator: it left the schema where this
	 * application expects it (it migrated, found it up to date, or validated it up to
	 * date). A rollback, a backup or a validation that found work pending does not.
	 */
	private static boolean leftTheSchemaAsExpected(MigrationRun run, SchemaSnapshot schema) {
		return switch (run.outcome()) {
			case MIGRATED -> true;
			case UP_TO_DATE -> run.operation() == OperationType.MIGRATE;
			case VALIDATED -> schema.state() == SchemaState.UP_TO_DATE || schema.state() == SchemaState.AHEAD;
			default -> false;
		};
	}

	/**
	 * Record the result of a drift check.
	 * @param drift what it found
	 */
	public void recordDrift(DriftSummary drift) {
		Assert.notNull(drift, "'drift' must not be null");
		this.drift.set(drift);
	}

	/**
	 * Return the result of the last drift check.
	 * @return the result, or {@code null} when none has run (or drift detection is off)
	 */
	public @Nullable DriftSummary drift() {
		return this.drift.get();
	}

	/**
	 * Record that a run started; it says how far it has got through the tracker
	 * returned, until it {@link RunTracker#ended() ended}.
	 * @param operation what the run does
	 * @param startedAt when it started
	 * @return the run's tracker
	 */
	public RunTracker runStarted(OperationType operation, Instant startedAt) {
		Assert.notNull(operation, "'operation' must not be null");
		Assert.notNull(startedAt, "'startedAt' must not be null");
		RunTracker tracker = new RunTracker(
				new RunningOperation(operation, RunPhase.INSPECTING, startedAt, 0, 0, null, null, null), this.running::remove);
		this.running.add(tracker);
		return tracker;
	}

	/**
	 * Return the run in progress: the one that is applying or backing up (it holds the
	 * migration lock, so there is one at most), else the one that started first. A run
	 * whose outcome is {@link #recordRun recorded} is no longer in progress, so that a
	 * reader never sees a run both done and running.
	 * @return the run, or {@code null} when none is in progress
	 */
	public @Nullable RunningOperation running() {
		MigrationRun lastRun = this.status.get().lastRun();
		RunningOperation first = null;
		for (RunTracker tracker : this.running) {
			RunningOperation run = tracker.current();
			if (isRecorded(run, lastRun)) {
				// Its outcome is recorded, and it is about to end: it is done for readers.
				continue;
			}
			if (run.phase() == RunPhase.APPLYING || run.phase() == RunPhase.BACKING_UP) {
				return run;
			}
			if (first == null) {
				first = run;
			}
		}
		return first;
	}

	private static boolean isRecorded(RunningOperation running, @Nullable MigrationRun lastRun) {
		return lastRun != null && lastRun.operation() == running.operation()
				&& lastRun.startedAt().equals(running.startedAt());
	}

	/**
	 * Record that the run that is applying started its next step: for a step that the
	 * run does not see itself, such as each migration inside Flyway's {@code migrate()}.
	 * Only one run applies at a time, since it holds the migration lock.
	 * @param version the step's version, or {@code null} for a repeatable migration
	 * @param description the step's description
	 */
	public void stepStarted(@Nullable String version, @Nullable String description) {
		for (RunTracker tracker : this.running) {
			if (tracker.current().phase() == RunPhase.APPLYING) {
				tracker.step(version, description);
				return;
			}
		}
	}

	/**
	 * Record how far the batched backfill of the migration being applied has got.
	 * @param progress the progress
	 */
	public void backfillProgressed(BackfillProgress progress) {
		Assert.notNull(progress, "'progress' must not be null");
		for (RunTracker tracker : this.running) {
			if (tracker.current().phase() == RunPhase.APPLYING) {
				tracker.backfill(progress);
				return;
			}
		}
	}

}
