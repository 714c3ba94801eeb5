package io.apiforge.migrations.operations;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.OnBackupFailure;
import io.apiforge.migrations.drift.DriftCheck;
import io.apiforge.migrations.drift.FingerprintReason;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.lock.MigrationLockTimeoutException;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.RunPhase;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaHistoryPage;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * The one way every operation that changes something runs (migrate, rollback, an
 * on-demand backup):
 * <ol>
 * <li><b>inspect</b> the schema and <b>plan</b>: nothing to do means no lock, no backup;
 * a plan that is not possible is refused;</li>
 * <li><b>lock</b>, so that instances queue up, then <b>plan again</b> under the lock:
 * another instance may have done the work, or changed the schema. The schema is inspected
 * again only when the history table changed since the first inspection (a digest of it,
 * read with one query, tells);</li>
 * <li>before a migration, <b>check for drift</b> ({@code migrations.drift.check});</li>
 * <li><b>back up</b> (unless the operation needs none), checking first that the lock is
 * still held;</li>
 * <li><b>apply</b>, checking the lock before each step;</li>
 * <li><b>record</b> the run in the status (and, after a migration or a rollback, the
 * schema's fingerprint) and <b>publish</b> it: events, one log paragraph. After a
 * migration the status is read off the rows it added to the history table where they
 * tell, instead of asking Flyway again.</li>
 * </ol>
 * One failure policy holds for every kind of exception: the run is recorded with what it
 * did so far, logged and published, and a user-readable {@link MigrationsException} is
 * thrown. A failure while planning, or a lock held by another instance past the
 * timeout, is a refusal ({@link RunOutcome#REFUSED}): nothing was changed, and health
 * ignores it.
 *
 * @author apiforge
 */
public class LockedRun {

	private static final Log logger = LogFactory.getLog(LockedRun.class);

	private final MigrationLockProvider lockProvider;

	private final OnBackupFailure onBackupFailure;

	private final BackupStep backupStep;

	private final MigrationStatusHolder status;

	private final ApplicationEventPublisher events;

	private final Duration lockTimeout;

	private final Clock clock;

	private final @Nullable DriftCheck drift;

	private final @Nullable String lockName;

	/**
	 * Create the template, without drift detection.
	 * @param lockProvider takes the migration lock
	 * @param backupStrategy takes the backup before an operation that changes the schema
	 * @param onBackupFailure what a failed backup does to such an operation
	 * @param status receives the schema and the runs
	 * @param events receives the events
	 * @param lockTimeout how long to wait for another instance's lock
	 * @param clock the clock that stamps runs
	 */
	public LockedRun(MigrationLockProvider lockProvider, BackupStrategy backupStrategy, OnBackupFailure onBackupFailure,
			MigrationStatusHolder status, ApplicationEventPublisher events, Duration lockTimeout, Clock clock) {
		this(lockProvider, backupStrategy, onBackupFailure, status, events, lockTimeout, clock, null);
	}

	/**
	 * Create the template.
	 * @param lockProvider takes the migration lock
	 * @param backupStrategy takes the backup before an operation that changes the schema
	 * @param onBackupFailure what a failed backup does to such an operation
	 * @param status receives the schema and the runs
	 * @param events receives the events
	 * @param lockTimeout how long to wait for another instance's lock
	 * @param clock the clock that stamps runs
	 * @param drift checks for drift before a migration and stores the fingerprint after
	 * a run that changed the schema, or {@code null} when drift detection is off
	 */
	public LockedRun(MigrationLockProvider lockProvider, BackupStrategy backupStrategy, OnBackupFailure onBackupFailure,
			MigrationStatusHolder status, ApplicationEventPublisher events, Duration lockTimeout, Clock clock,
			@Nullable DriftCheck drift) {
		Assert.notNull(lockProvider, "'lockProvider' must not be null");
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(events, "'events' must not be null");
		Assert.notNull(lockTimeout, "'lockTimeout' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.lockProvider = lockProvider;
		this.onBackupFailure = onBackupFailure;
		this.backupStep = new BackupStep(backupStrategy, onBackupFailure, events);
		this.status = status;
		this.events = events;
		this.lockTimeout = lockTimeout;
		this.clock = clock;
		this.drift = drift;
		this.lockName = null;
	}

	private LockedRun(LockedRun template, MigrationStatusHolder status, BackupStrategy backupStrategy,
			ApplicationEventPublisher events, String lockName) {
		this.lockProvider = template.lockProvider;
		this.onBackupFailure = template.onBackupFailure;
		this.backupStep = new BackupStep(backupStrategy, template.onBackupFailure, events);
		this.status = status;
		this.events = events;
		this.lockTimeout = template.lockTimeout;
		this.clock = template.clock;
		this.drift = template.drift;
		this.lockName = lockName;
	}

	/**
	 * Return a template that runs the same way (the same lock provider, lock timeout,
	 * backup failure policy and clock) for another schema than the application's own,
	 * such as a tenant's: it records into the given status, backs up with the given
	 * strategy and publishes to the given publisher, so that its runs are never recorded
	 * or counted as the application's.
	 * @param status receives that schema and its runs
	 * @param backupStrategy takes that schema's backups
	 * @param events receives its events
	 * @return the template
	 */
	LockedRun recordingInto(MigrationStatusHolder status, BackupStrategy backupStrategy,
			ApplicationEventPublisher events) {
		return new LockedRun(this.lockProvider, backupStrategy, this.onBackupFailure, status, events, this.lockTimeout,
				this.clock);
	}

	/**
	 * Return a template for a second history table on the application's schema (the
	 * contract migrations'): it takes the lock of the given name (the application's own,
	 * so that it queues with its migrations), keeps drift detection (the fingerprint
	 * stored after a run is the application's current version's), and records into the
	 * given status.
	 * @param status receives that history's schema and runs
	 * @param backupStrategy takes the backup before a run
	 * @param events receives its events
	 * @param lockName the lock to take
	 * @return the template
	 */
	LockedRun lockingAs(MigrationStatusHolder status, BackupStrategy backupStrategy, ApplicationEventPublisher events,
			String lockName) {
		return new LockedRun(this, status, backupStrategy, events, lockName);
	}

	/**
	 * Ask Flyway where the schema stands and record it in the status.
	 * @param flyway the Flyway instance
	 * @return the schema as Flyway sees it now
	 */
	SchemaSnapshot inspect(Flyway flyway) {
		SchemaSnapshot snapshot = SchemaSnapshot.of(flyway.info(),
				flyway.getConfiguration().getIgnoreMigrationPatterns(), this.clock.instant());
		this.status.recordSchema(snapshot);
		return snapshot;
	}

	/**
	 * Return where the schema stands after a migration, read off the rows it added to the
	 * history table instead of asking Flyway again (a classpath scan, every script read
	 * for its checksum, and the whole history), or {@code null} when those rows cannot
	 * tell (see {@link SchemaSnapshot#afterApplying}) and Flyway must be asked. The rows
	 * before them must be the ones the snapshot before the run was made from (their
	 * digest is the one read then): a migration strategy of the application's own could
	 * have repaired or cleaned the history.
	 */
	private @Nullable SchemaSnapshot afterMigrating(Flyway flyway, OperationType type, SchemaSnapshot before,
			@Nullable String historyBefore) {
		if (type != OperationType.MIGRATE || !before.hasPending() || historyBefore == null) {
			return null;
		}
		Configuration configuration = flyway.getConfiguration();
		String table = SchemaHistory.tableOf(configuration);
		int lastRank = before.lastInstalledRank();
		if (!SchemaHistory.sameRows(historyBefore, SchemaHistory.digest(configuration.getDataSource(), table, lastRank))) {
			return null;
		}
		try {
			List<MigrationSummary> added = SchemaHistoryPage.rowsAfter(configuration.getDataSource(), table, lastRank);
			return before.afterApplying(added, this.clock.instant());
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/**
	 * Read a digest of the history table, to tell under the lock whether the inspection
	 * made before it still holds (another instance may have migrated while this one
	 * waited): an unchanged history spares a second inspection, a classpath scan and a
	 * history query.
	 * @param flyway the Flyway instance
	 * @return the digest, or {@code null} when it cannot be read (then the run inspects
	 * again)
	 */
	private @Nullable String historyDigest(Flyway flyway) {
		Configuration configuration = flyway.getConfiguration();
		return SchemaHistory.digest(configuration.getDataSource(), SchemaHistory.tableOf(configuration));
	}

	/**
	 * Check at start-up what a run will need: the lock and the backup.
	 * @param flyway the Flyway instance
	 */
	void checkPrerequisites(Flyway flyway) {
		this.lockProvider.check(flyway.getConfiguration().getDataSource());
		this.backupStep.check(flyway.getConfiguration().getDataSource());
	}

	/**
	 * Check at start-up, quickly, what every run will need whatever is pending: the
	 * lock, and that the backup's tools are installed.
	 * @param flyway the Flyway instance
	 */
	void checkInstalled(Flyway flyway) {
		this.lockProvider.check(flyway.getConfiguration().getDataSource());
		this.backupStep.checkInstalled();
	}

	/**
	 * Check that the backup's tools fit the database before a run that needs them.
	 * @param flyway the Flyway instance
	 */
	void checkBackup(Flyway flyway) {
		this.backupStep.check(flyway.getConfiguration().getDataSource());
	}

	/**
	 * Check that the backup's tools fit the database when no run needs them now: a
	 * failure is logged.
	 * @param flyway the Flyway instance
	 */
	void checkBackupForLater(Flyway flyway) {
		this.backupStep.checkForLater(flyway.getConfiguration().getDataSource());
	}

	/**
	 * Check at start-up that the lock can be taken on another database than the
	 * application's, such as a tenant's.
	 * @param dataSource the database
	 */
	void checkLock(DataSource dataSource) {
		this.lockProvider.check(dataSource);
	}

	/**
	 * Return how many connections of the data source's pool a held lock takes.
	 * @param dataSource the database
	 * @return the number of pooled connections
	 */
	int lockConnectionsFromPool(DataSource dataSource) {
		return this.lockProvider.connectionsFromPool(dataSource);
	}

	MigrationStatusHolder status() {
		return this.status;
	}

	Clock clock() {
		return this.clock;
	}

	@Nullable DriftCheck drift() {
		return this.drift;
	}

	/**
	 * Run an operation.
	 * @param <P> the operation's plan
	 * @param flyway the Flyway instance
	 * @param operation the operation
	 * @return the run
	 * @throws MigrationsException when it failed or was refused; already recorded and
	 * published
	 */
	<P> MigrationRun execute(Flyway flyway, LockedOperation<P> operation) {
		return execute(flyway, operation, null);
	}

	/**
	 * Run an operation that must wait for something before it locks.
	 * @param <P> the operation's plan
	 * @param flyway the Flyway instance
	 * @param operation the operation
	 * @param beforeLock what to start once the first inspection finds migrations pending
	 * and to wait for once the plan says there is work (such as the start-up check of the
	 * backup's tools), or {@code null}; what it throws ends the run as it is, unrecorded:
	 * nothing was locked or changed
	 * @return the run
	 * @throws MigrationsException when it failed or was refused; already recorded and
	 * published
	 */
	<P> MigrationRun execute(Flyway flyway, LockedOperation<P> operation, @Nullable BeforeLock beforeLock) {
		Instant startedAt = this.clock.instant();
		RunProgress progress = new RunProgress(startedAt, this.status.runStarted(operation.type(), startedAt));
		try {
			return run(flyway, operation, progress, beforeLock);
		}
		catch (BeforeLockFailure ex) {
			throw ex.failure();
		}
		finally {
			// After the outcome is recorded, so that a reader sees the run running or done.
			progress.tracker().ended();
		}
	}

	private <P> MigrationRun run(Flyway flyway, LockedOperation<P> operation, RunProgress progress,
			@Nullable BeforeLock beforeLock) {
		try {
			// Read before the inspection: any change after it makes the digest under the
			// lock differ, so an equal digest proves the inspection still holds.
			String history = historyDigest(flyway);
			if (beforeLock != null && SchemaHistory.ABSENT.equals(history)) {
				// No history yet: whatever the application ships is pending, so the wait
				// starts now and runs while the classpath is scanned.
				beforeLock.start();
			}
			SchemaSnapshot schema = inspect(flyway);
			progress.before(schema);
			if (beforeLock != null && schema.hasPending()) {
				// Runs while the plan checks the pending migrations.
				beforeLock.start();
			}
			P plan = plan(operation, flyway, schema, false, progress);
			String nothingToDo = operation.nothingToDo(plan, false);
			if (nothingToDo != null) {
				return nothingDone(operation, progress, schema, nothingToDo);
			}
			if (beforeLock != null) {
				awaitBeforeLock(beforeLock);
			}
			progress.phase(RunPhase.WAITING_FOR_LOCK, 0);
			try (MigrationLock lock = acquire(flyway.getConfiguration(), progress)) {
				progress.locked(lock);
				progress.phase(RunPhase.INSPECTING, 0);
				// Under the lock nobody else migrates: what the schema is inspected as from
				// here on has this digest.
				String historyUnderLock = historyDigest(flyway);
				if (history == null || !history.equals(historyUnderLock)) {
					schema = inspect(flyway);
					progress.before(schema);
				}
				plan = plan(operation, flyway, schema, true, progress);
				nothingToDo = operation.nothingToDo(plan, true);
				if (nothingToDo != null) {
					return nothingDone(operation, progress, schema, nothingToDo);
				}
				if (this.drift != null && operation.type() == OperationType.MIGRATE) {
					// Drift found here refuses the run: nothing was changed yet.
					progress.refusing(true);
					this.drift.beforeMigrate();
					progress.refusing(false);
				}
				publish(operation.started(flyway, plan, schema));
				BackupRequest backup = operation.backupRequest(flyway, plan, schema);
				if (backup != null) {
					progress.phase(RunPhase.BACKING_UP, 0);
					progress.checkLock("the backup");
					progress.backup(this.backupStep.take(flyway, backup));
				}
				progress.phase(operation.applyPhase(), operation.steps(plan, schema));
				operation.apply(flyway, plan, schema, progress);
				if (this.drift != null && operation.type().changesSchema()) {
					// Before the inspection that shows the new version: readers see the run
					// running until it is recorded.
					this.drift.afterRun((operation.type() == OperationType.ROLLBACK) ? FingerprintReason.ROLLBACK
							: FingerprintReason.MIGRATE);
				}
				SchemaSnapshot after = afterMigrating(flyway, operation.type(), schema, historyUnderLock);
				if (after == null) {
					after = inspect(flyway);
				}
				MigrationRun run = new MigrationRun(operation.type(), progress.startedAt(), this.clock.instant(),
						operation.completedOutcome(), schema.currentVersion(), after.currentVersion(),
						operation.executed(schema, after, progress.done()), progress.backup(), progress.lockWait(),
						null);
				this.status.recordRun(after, run);
				logger.info(operation.report(run, after));
				publish(operation.completed(flyway, run));
				return run;
			}
		}
		catch (BeforeLockFailure ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw fail(flyway, operation, progress, ex);
		}
	}

	private static void awaitBeforeLock(BeforeLock beforeLock) {
		try {
			beforeLock.await();
		}
		catch (RuntimeException ex) {
			throw new BeforeLockFailure(ex);
		}
	}

	private <P> P plan(LockedOperation<P> operation, Flyway flyway, SchemaSnapshot schema, boolean underLock,
			RunProgress progress) {
		progress.refusing(true);
		P plan = operation.plan(flyway, schema, underLock);
		progress.refusing(false);
		return plan;
	}

	private MigrationLock acquire(Configuration configuration, RunProgress progress) {
		try {
			String name = (this.lockName != null) ? this.lockName : lockName(configuration);
			return this.lockProvider.acquire(configuration.getDataSource(), name, this.lockTimeout);
		}
		catch (MigrationLockTimeoutException ex) {
			progress.refusing(true);
			throw ex;
		}
	}

	private MigrationRun nothingDone(LockedOperation<?> operation, RunProgress progress, SchemaSnapshot schema,
			String why) {
		MigrationRun run = new MigrationRun(operation.type(), progress.startedAt(), this.clock.instant(),
				RunOutcome.UP_TO_DATE, schema.currentVersion(), schema.currentVersion(), List.of(), null,
				progress.lockWait(), null);
		this.status.recordRun(schema, run);
		logger.info(why);
		return run;
	}

	private <P> MigrationsException fail(Flyway flyway, LockedOperation<P> operation, RunProgress progress,
			RuntimeException failure) {
		SchemaSnapshot before = progress.before();
		MigrationsException described = operation.describe(failure, before);
		SchemaSnapshot after = inspectQuietly(flyway);
		boolean refused = progress.isRefusing();
		MigrationRun run = new MigrationRun(operation.type(), progress.startedAt(), this.clock.instant(),
				refused ? RunOutcome.REFUSED : RunOutcome.FAILED, (before != null) ? before.currentVersion() : null,
				(after != null) ? after.currentVersion() : (before != null) ? before.currentVersion() : null,
				(before != null && progress.isApplying()) ? operation.executed(before, after, progress.done())
						: List.copyOf(progress.done()),
				progress.backup(), progress.lockWait(), described.getMessage());
		this.status.recordRun((after != null) ? after : this.status.current().schema(), run);
		String report = operation.failureReport(run, after, described);
		if (refused) {
			logger.warn(report);
		}
		else {
			logger.error(report);
		}
		publish(operation.failed(flyway, run, described));
		return described;
	}

	private @Nullable SchemaSnapshot inspectQuietly(Flyway flyway) {
		try {
			return inspect(flyway);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not inspect the schema after a failed run", ex);
			return null;
		}
	}

	private void publish(@Nullable ApplicationEvent event) {
		if (event != null) {
			this.events.publishEvent(event);
		}
	}

	/**
	 * What a run waited for before it locked threw: passed through as it is, not
	 * recorded as the run's failure.
	 */
	private static final class BeforeLockFailure extends RuntimeException {

		private final RuntimeException failure;

		BeforeLockFailure(RuntimeException failure) {
			super(failure);
			this.failure = failure;
		}

		RuntimeException failure() {
			return this.failure;
		}

	}

	/**
	 * The name of the migration lock: the schema history table. Instances that share a
	 * history table share the lock.
	 * @param configuration Flyway's configuration
	 * @return the lock's name
	 */
	static String lockName(Configuration configuration) {
		return SchemaHistory.tableOf(configuration);
	}

	/**
	 * What a run waits for before it locks: started once the first inspection finds
	 * migrations pending (or before it, when there is no history table yet), so that a
	 * start-up with nothing pending does not wait for it, and awaited once the plan says
	 * there is work.
	 */
	interface BeforeLock {

		/**
		 * Start, unless started already.
		 */
		void start();

		/**
		 * Wait for the end (starting first if not started), and throw what ends the run.
		 */
		void await();

	}

}
