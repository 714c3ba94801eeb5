package io.apiforge.migrations.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;


import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.OnBackupFailure;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * The migration lifecycle: inspect, lock, back up, migrate, publish.
 * <ol>
 * <li><b>Inspect</b>: ask Flyway what is pending. Nothing pending: no lock, no backup, no
 * migration. Otherwise the {@link PendingMigrationsCheck} (the migration lint) looks at
 * the pending migrations, and may stop the run here.</li>
 * <li><b>Lock</b>: take the migration lock, so that replicas starting together queue up,
 * then inspect again: another instance may have done the work meanwhile.</li>
 * <li><b>Back up</b> with the {@link BackupStrategy}, unless the database is empty; a
 * failed backup means no migration (unless {@link OnBackupFailure#CONTINUE}).</li>
 * <li><b>Migrate</b> with the given migrator: Flyway's {@code migrate()} or the user's
 * own strategy.</li>
 * <li><b>Publish</b> the outcome: the status snapshot, application events and one
 * paragraph in the log.</li>
 * </ol>
 *
 * @author apiforge
 */
public class MigrationLifecycle {

	private static final Log logger = LogFactory.getLog(MigrationLifecycle.class);

	/** The type of the history row Flyway writes when it creates the schemas it manages. */
	private static final String SCHEMA_CREATION = "SCHEMA";

	private final MigrationLockProvider lockProvider;

	private final BackupStrategy backupStrategy;

	private final MigrationStatusHolder status;

	private final ApplicationEventPublisher events;

	private final Duration lockTimeout;

	private final BackupStep backupStep;

	private final Clock clock;

	private final PendingMigrationsCheck pendingCheck;

	/**
	 * Create a lifecycle.
	 * @param lockProvider takes the migration lock
	 * @param backupStrategy takes the backup before migrating
	 * @param status receives the schema status and the runs
	 * @param events receives the lifecycle's events
	 * @param lockTimeout how long to wait for another instance's lock
	 * @param onBackupFailure what to do when the backup fails
	 * @param clock the clock that stamps runs
	 * @param pendingCheck checks the pending migrations before the lock
	 */
	public MigrationLifecycle(MigrationLockProvider lockProvider, BackupStrategy backupStrategy,
			MigrationStatusHolder status, ApplicationEventPublisher events, Duration lockTimeout,
			OnBackupFailure onBackupFailure, Clock clock, PendingMigrationsCheck pendingCheck) {
		Assert.notNull(lockProvider, "'lockProvider' must not be null");
		Assert.notNull(backupStrategy, "'backupStrategy' must not be null");
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(events, "'events' must not be null");
		Assert.notNull(lockTimeout, "'lockTimeout' must not be null");
		Assert.notNull(onBackupFailure, "'onBackupFailure' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(pendingCheck, "'pendingCheck' must not be null");
		this.lockProvider = lockProvider;
		this.backupStrategy = backupStrategy;
		this.status = status;
		this.events = events;
		this.lockTimeout = lockTimeout;
		this.backupStep = new BackupStep(backupStrategy, onBackupFailure, events);
		this.clock = clock;
		this.pendingCheck = pendingCheck;
	}

	/**
	 * Ask Flyway where the schema stands and record it in the status.
	 * @param flyway the Flyway instance
	 * @return the schema as Flyway sees it now
	 */
	public SchemaSnapshot inspect(Flyway flyway) {
		SchemaSnapshot snapshot = SchemaSnapshot.of(flyway.info(), this.clock.instant());
		this.status.recordSchema(snapshot);
		return snapshot;
	}

	/**
	 * Run the whole lifecycle: inspect, lock, back up, migrate, publish.
	 * @param flyway the Flyway instance
	 * @param migrator what applies the pending migrations, such as {@code Flyway::migrate}
	 * @return the run
	 * @throws MigrationsException when the check of the pending migrations, the lock,
	 * the backup or a migration failed; the failure has already been recorded and
	 * published
	 */
	public MigrationRun migrate(Flyway flyway, Consumer<Flyway> migrator) {
		Progress progress = new Progress(this.clock.instant());
		try {
			progress.before = inspect(flyway);
			if (!progress.before.hasPending()) {
				return finishUpToDate(progress, progress.before, "nothing is pending");
			}
			this.pendingCheck.check(flyway, progress.before.pending(), true);
			Configuration configuration = flyway.getConfiguration();
			try (MigrationLock lock = this.lockProvider.acquire(configuration.getDataSource(), lockName(configuration),
					this.lockTimeout)) {
				progress.lockWait = lock.waited();
				SchemaSnapshot locked = inspect(flyway);
				progress.before = locked;
				if (!locked.hasPending()) {
					return finishUpToDate(progress, locked, "another instance applied the pending migrations while this one waited for the lock");
				}
				this.events.publishEvent(new MigrationStartedEvent(flyway, locked.currentVersion(),
						locked.expectedVersion(), locked.pending()));
				progress.backup = this.backupStep.take(flyway,
						new BackupRequest(configuration.getDataSource(), SchemaHistory.schemasOf(configuration),
								locked.currentVersion(), locked.expectedVersion(), locked.pending().size()));
				migrator.accept(flyway);
				SchemaSnapshot after = inspect(flyway);
				MigrationRun run = new MigrationRun(progress.startedAt, this.clock.instant(), RunOutcome.MIGRATED,
						locked.currentVersion(), after.currentVersion(), executed(locked, after), progress.backup,
						progress.lockWait, null);
				this.status.recordRun(after, run);
				logger.info(MigrationRunReport.describe(run, lockName(configuration), after));
				this.events.publishEvent(new MigrationCompletedEvent(flyway, run));
				return run;
			}
		}
		catch (RuntimeException ex) {
			throw fail(flyway, progress, ex);
		}
	}

	/**
	 * Take a backup now, outside a migration (an operator's request): inside the
	 * migration lock, so that it never overlaps a migration, with the same strategy.
	 * @param flyway the Flyway instance
	 * @return the backup taken
	 * @throws BackupException when the backup failed or the strategy took none
	 */
	public BackupRecord backup(Flyway flyway) {
		Configuration configuration = flyway.getConfiguration();
		SchemaSnapshot snapshot = inspect(flyway);
		try (MigrationLock lock = this.lockProvider.acquire(configuration.getDataSource(), lockName(configuration),
				this.lockTimeout)) {
			BackupRecord backup = this.backupStrategy.backup(new BackupRequest(configuration.getDataSource(),
					SchemaHistory.schemasOf(configuration), snapshot.currentVersion(), snapshot.currentVersion(), 0));
			if (backup == null) {
				throw new BackupException("The backup strategy took no backup",
						"Choose a strategy that backs up (migrations.backup.strategy=pg-dump) or define a BackupStrategy bean.",
						null);
			}
			this.status.recordBackup(backup);
			this.events.publishEvent(new BackupCompletedEvent(flyway, backup));
			return backup;
		}
		catch (BackupException ex) {
			this.events.publishEvent(new BackupFailedEvent(flyway, ex, false));
			throw ex;
		}
	}

	/**
	 * Inspect only, never migrate: the {@code validate} mode.
	 * @param flyway the Flyway instance
	 * @param failOnPending whether pending migrations are a failure
	 * @return the run
	 * @throws PendingMigrationsException when migrations are pending and
	 * {@code failOnPending} is set
	 */
	public MigrationRun validate(Flyway flyway, boolean failOnPending) {
		Instant startedAt = this.clock.instant();
		SchemaSnapshot snapshot = inspect(flyway);
		MigrationRun run = new MigrationRun(startedAt, this.clock.instant(), RunOutcome.VALIDATED,
				snapshot.currentVersion(), snapshot.currentVersion(), List.of(), null, null, null);
		this.status.recordRun(snapshot, run);
		if (snapshot.hasPending()) {
			this.pendingCheck.check(flyway, snapshot.pending(), false);
		}
		String report = MigrationRunReport.describeValidation(snapshot, lockName(flyway.getConfiguration()));
		if (!snapshot.failed().isEmpty() || (snapshot.hasPending() && !failOnPending)) {
			logger.warn(report);
		}
		else {
			logger.info(report);
		}
		if (failOnPending && snapshot.hasPending()) {
			throw new PendingMigrationsException(
					snapshot.pending().size() + " migration(s) pending and migrations.mode=validate does not migrate: "
							+ labels(snapshot.pending()) + ". The schema is at version "
							+ MigrationFailureDescriber.versionLabel(snapshot.currentVersion())
							+ ", this application expects " + snapshot.expectedVersion() + ".",
					"Run the migration first (this application with migrations.mode=migrate-and-exit, as a job), "
							+ "or set migrations.validate.fail-on-pending=false to start and report OUT_OF_SERVICE until it is done.");
		}
		return run;
	}

	private MigrationRun finishUpToDate(Progress progress, SchemaSnapshot snapshot, String reason) {
		MigrationRun run = new MigrationRun(progress.startedAt, this.clock.instant(), RunOutcome.UP_TO_DATE,
				snapshot.currentVersion(), snapshot.currentVersion(), List.of(), null, progress.lockWait, null);
		this.status.recordRun(snapshot, run);
		logger.info("Schema is up to date at version " + MigrationFailureDescriber.versionLabel(snapshot.currentVersion())
				+ ": " + reason + "; no backup, no migration.");
		return run;
	}

	private MigrationsException fail(Flyway flyway, Progress progress, RuntimeException failure) {
		SchemaSnapshot before = progress.before;
		MigrationsException described = MigrationFailureDescriber.describe(failure,
				(before != null) ? before.currentVersion() : null);
		SchemaSnapshot after = inspectQuietly(flyway, before);
		MigrationRun run = new MigrationRun(progress.startedAt, this.clock.instant(), RunOutcome.FAILED,
				(before != null) ? before.currentVersion() : null, (after != null) ? after.currentVersion() : null,
				(before != null && after != null) ? executed(before, after) : List.of(), progress.backup,
				progress.lockWait, described.getMessage());
		this.status.recordRun((after != null) ? after : this.status.current().schema(), run);
		logger.error(MigrationRunReport.describeFailure(run, lockName(flyway.getConfiguration()), after,
				described));
		this.events.publishEvent(new MigrationFailedEvent(flyway, run, described));
		return described;
	}

	private @Nullable SchemaSnapshot inspectQuietly(Flyway flyway, @Nullable SchemaSnapshot fallback) {
		try {
			return inspect(flyway);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not inspect the schema after a failed run", ex);
			return fallback;
		}
	}

	private static List<MigrationSummary> executed(SchemaSnapshot before, SchemaSnapshot after) {
		Set<Integer> appliedBefore = before.applied()
			.stream()
			.map(MigrationSummary::installedRank)
			.collect(Collectors.toCollection(LinkedHashSet::new));
		List<MigrationSummary> executed = new ArrayList<>();
		for (MigrationSummary migration : after.applied()) {
			if (!appliedBefore.contains(migration.installedRank()) && !SCHEMA_CREATION.equals(migration.type())) {
				executed.add(migration);
			}
		}
		return executed;
	}

	/**
	 * The name of the migration lock: the schema history table. Instances that share a
	 * history table share the lock.
	 */
	static String lockName(Configuration configuration) {
		return SchemaHistory.tableOf(configuration);
	}

	static String labels(List<MigrationSummary> migrations) {
		return migrations.stream().map(MigrationSummary::label).collect(Collectors.joining(", "));
	}

	/**
	 * What a run has done so far, for the record of a run that fails half-way.
	 */
	private static final class Progress {

		private final Instant startedAt;

		private @Nullable SchemaSnapshot before;

		private @Nullable BackupRecord backup;

		private @Nullable Duration lockWait;

		Progress(Instant startedAt) {
			this.startedAt = startedAt;
		}

	}

}
