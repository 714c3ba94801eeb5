package io.apiforge.migrations.operations;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.drift.DriftCheck;
import io.apiforge.migrations.drift.DriftReport;
import io.apiforge.migrations.lifecycle.MigrationFailureDescriber;
import io.apiforge.migrations.lifecycle.MigrationRunReport;
import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.lifecycle.PendingMigrationsException;
import io.apiforge.migrations.lint.LintFailOn;
import io.apiforge.migrations.lint.LintReport;
import io.apiforge.migrations.lint.PendingMigrationsLint;
import io.apiforge.migrations.plan.MigrationPlan;
import io.apiforge.migrations.plan.MigrationPlanner;
import io.apiforge.migrations.rollback.RollbackPlanner;
import io.apiforge.migrations.rollback.UndoStepExecutor;
import io.apiforge.migrations.scripts.MigrationScripts;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaHistoryPage;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Every operation on the schema, in one place: migrate, validate, back up, roll back,
 * plan. The ones that change something run through the {@link LockedRun} template
 * (inspect, plan, lock, inspect and plan again, back up, apply, record, publish), so that
 * they run the same safe way whether start-up, a job or an operator asks for them.
 *
 * @author apiforge
 */
public class MigrationOperations {

	private static final Log logger = LogFactory.getLog(MigrationOperations.class);

	private final Flyway flyway;

	private final LockedRun runs;

	private final BackupStrategy backupStrategy;

	private final PendingMigrationsCheck pendingCheck;

	private final @Nullable PendingMigrationsLint lint;

	private final Supplier<@Nullable FlywayMigrationStrategy> userStrategy;

	private final RollbackPlanner rollbackPlanner;

	private final UndoStepExecutor undoExecutor;

	private final MigrationPlanner planner;

	private final MigrationScripts scripts;

	/**
	 * Create the operations.
	 * @param flyway the Flyway instance they run on
	 * @param runs the template of the operations that change something
	 * @param backupStrategy takes the backups
	 * @param lint the lint of pending migrations, run before the lock, or {@code null}
	 * when it is off
	 * @param userStrategy supplies the user's own {@link FlywayMigrationStrategy}, which
	 * becomes the migrate step, or {@code null}; asked before a migration starts, so that a
	 * refusal comes before any lock or backup
	 * @param rollbackPlanner checks and lists the steps of a rollback
	 * @param undoExecutor undoes one version
	 * @param planner computes plans
	 */
	public MigrationOperations(Flyway flyway, LockedRun runs, BackupStrategy backupStrategy, @Nullable PendingMigrationsLint lint,
			Supplier<@Nullable FlywayMigrationStrategy> userStrategy, RollbackPlanner rollbackPlanner,
			UndoStepExecutor undoExecutor, MigrationPlanner planner) {
		Assert.notNull(flyway, "'flyway' must not be null");
		Assert.notNull(runs, "'runs' must not be null");
		Assert.notNull(backupStrategy, "'backupStrategy' must not be null");
		Assert.notNull(userStrategy, "'userStrategy' must not be null");
		Assert.notNull(rollbackPlanner, "'rollbackPlanner' must not be null");
		Assert.notNull(undoExecutor, "'undoExecutor' must not be null");
		Assert.notNull(planner, "'planner' must not be null");
		this.flyway = flyway;
		this.runs = runs;
		this.backupStrategy = backupStrategy;
		this.lint = lint;
		// The automatic lint: skipped on an empty database; a plan lints explicitly.
		this.pendingCheck = (lint != null) ? new LintUnlessEmptyDatabase(lint::check) : PendingMigrationsCheck.NONE;
		this.userStrategy = userStrategy;
		this.rollbackPlanner = rollbackPlanner;
		this.undoExecutor = undoExecutor;
		this.planner = planner;
		this.scripts = new MigrationScripts(flyway.getConfiguration().getLocations(),
				flyway.getConfiguration().getClassLoader());
	}

	/**
	 * Migrate: inspect, check the pending migrations, lock, back up, migrate, publish.
	 * @return the run
	 * @throws io.apiforge.migrations.MigrationsException when it failed or was refused
	 */
	public MigrationRun migrate() {
		return migrate(this.flyway);
	}

	MigrationRun migrate(Flyway flyway) {
		return migrate(flyway, null);
	}

	/**
	 * Migrate, waiting before the lock for something that runs meanwhile.
	 * @param flyway the Flyway instance
	 * @param beforeLock what to start once migrations are found pending and to wait for
	 * before locking, or {@code null}
	 * @return the run
	 */
	MigrationRun migrate(Flyway flyway, LockedRun.@Nullable BeforeLock beforeLock) {
		FlywayMigrationStrategy strategy = this.userStrategy.get();
		Consumer<Flyway> migrator = (strategy != null) ? strategy::migrate : Flyway::migrate;
		return this.runs.execute(flyway,
				new MigrateOperation(LockedRun.lockName(flyway.getConfiguration()), this.pendingCheck, migrator),
				beforeLock);
	}

	/**
	 * Take a backup now, inside the migration lock, labelled with the version read under
	 * the lock.
	 * @return the backup
	 * @throws io.apiforge.migrations.MigrationsException when it failed or the lock was
	 * not free in time
	 */
	public BackupRecord backup() {
		MigrationRun run = this.runs.execute(this.flyway, new BackupOperation(this.backupStrategy));
		Assert.state(run.backup() != null, "A completed backup run has a backup");
		return run.backup();
	}

	/**
	 * Roll back to a target: check the plan, lock, check again, back up, undo one version
	 * per transaction, publish.
	 * @param target {@code base} or an applied version
	 * @return the run
	 * @throws io.apiforge.migrations.rollback.RollbackRefusedException when the plan is
	 * not possible; nothing changed
	 * @throws io.apiforge.migrations.MigrationsException when an undo failed; the schema
	 * is at the last version reached
	 */
	public MigrationRun rollback(String target) {
		return rollback(this.flyway, target);
	}

	MigrationRun rollback(Flyway flyway, String target) {
		return this.runs.execute(flyway, new RollbackOperation(LockedRun.lockName(flyway.getConfiguration()),
				this.rollbackPlanner, this.undoExecutor, target));
	}

	/**
	 * Inspect only, never migrate: the {@code validate} mode.
	 * @param failOnPending whether pending migrations are a failure
	 * @return the run
	 * @throws PendingMigrationsException when migrations are pending and
	 * {@code failOnPending} is set
	 */
	public MigrationRun validate(boolean failOnPending) {
		return validate(this.flyway, failOnPending);
	}

	MigrationRun validate(Flyway flyway, boolean failOnPending) {
		Instant startedAt = this.runs.clock().instant();
		SchemaSnapshot snapshot = this.runs.inspect(flyway);
		MigrationRun run = new MigrationRun(OperationType.VALIDATE, startedAt, this.runs.clock().instant(),
				RunOutcome.VALIDATED, snapshot.currentVersion(), snapshot.currentVersion(), List.of(), null, null, null);
		this.runs.status().recordRun(snapshot, run);
		if (snapshot.hasPending()) {
			this.pendingCheck.check(flyway, snapshot.pending(), false);
		}
		String report = MigrationRunReport.describeValidation(snapshot, LockedRun.lockName(flyway.getConfiguration()));
		if (!snapshot.failed().isEmpty() || (snapshot.hasPending() && !failOnPending)) {
			logger.warn(report);
		}
		else {
			logger.info(report);
		}
		if (failOnPending && snapshot.hasPending()) {
			throw new PendingMigrationsException(snapshot.pending().size()
					+ " migration(s) pending and migrations.mode=validate does not migrate: "
					+ MigrationRunReport.labels(snapshot.pending()) + ". The schema is at version "
					+ MigrationFailureDescriber.versionLabel(snapshot.currentVersion()) + ", this application expects "
					+ snapshot.expectedVersion() + ".",
					"Run the migration first (this application with migrations.mode=migrate-and-exit, as a job), "
							+ "or set migrations.validate.fail-on-pending=false to start and report OUT_OF_SERVICE until it is done.");
		}
		return run;
	}

	/**
	 * Return what a migrate, or a rollback to a target, would do, changing nothing.
	 * @param target the version to plan a rollback to, or {@code null} to plan a migrate
	 * @return the plan
	 */
	public MigrationPlan plan(@Nullable String target) {
		return plan(this.flyway, target);
	}

	MigrationPlan plan(Flyway flyway, @Nullable String target) {
		return (target != null) ? this.planner.rollback(flyway, target) : this.planner.migrate(flyway);
	}

	/**
	 * Ask Flyway where the schema stands and record it in the status.
	 * @param flyway the Flyway instance
	 * @return the schema
	 */
	SchemaSnapshot inspect(Flyway flyway) {
		return this.runs.inspect(flyway);
	}

	/**
	 * Check at start-up, whatever is pending, what the operations that lock will need
	 * (the lock's connection, the backup's tools), so that a set-up that cannot work is
	 * said on the first deployment, before any run, not inside the lock of a later one.
	 * @param flyway the Flyway instance
	 */
	void checkPrerequisites(Flyway flyway) {
		this.runs.checkPrerequisites(flyway);
	}

	/**
	 * Check at start-up, whatever is pending, what can be checked without running
	 * anything: the lock's connection, and that the backup's tools are installed.
	 * @param flyway the Flyway instance
	 */
	void checkInstalled(Flyway flyway) {
		this.runs.checkInstalled(flyway);
	}

	/**
	 * Check that the backup's tools fit the database, before a run that needs a backup.
	 * @param flyway the Flyway instance
	 */
	void checkBackup(Flyway flyway) {
		this.runs.checkBackup(flyway);
	}

	/**
	 * Check that the backup's tools fit the database when nothing needs a backup now:
	 * a failure is logged as a warning.
	 * @param flyway the Flyway instance
	 */
	void checkBackupForLater(Flyway flyway) {
		this.runs.checkBackupForLater(flyway);
	}

	/**
	 * Read one page of the schema history table, newest first: always current, at the
	 * cost of one query along the table's primary key.
	 * @param page the page, from 0
	 * @param size the page's size
	 * @return the page
	 * @throws io.apiforge.migrations.MigrationsException when the table cannot be read
	 */
	public SchemaHistoryPage history(int page, int size) {
		String table = SchemaHistory.tableOf(this.flyway.getConfiguration());
		try {
			return SchemaHistoryPage.read(this.flyway.getConfiguration().getDataSource(), table, page, size);
		}
		catch (SQLException ex) {
			throw new MigrationsException("Could not read the schema history table " + table + ": " + ex.getMessage(),
					"Check that the database is reachable; GET /actuator/health says whether it is.", ex);
		}
	}

	/**
	 * Check once at start-up, when nothing was pending, whether the live schema drifted
	 * from the stored reference of its version ({@code migrations.drift.check}).
	 * @param inBackground whether a check that can only log ({@code warn}) may run on a
	 * thread of its own while the application goes on starting
	 * @throws io.apiforge.migrations.MigrationsException when it drifted and
	 * {@code migrations.drift.check=fail}
	 */
	void checkDriftAtStartup(boolean inBackground) {
		DriftCheck drift = this.runs.drift();
		if (drift != null) {
			if (inBackground) {
				drift.atStartupInBackground();
			}
			else {
				drift.atStartup();
			}
		}
	}

	/**
	 * Return whether drift detection is on ({@code migrations.drift.enabled}).
	 * @return whether {@link #drift()} and {@link #acceptDrift(String)} can be used
	 */
	public boolean isDriftDetectionEnabled() {
		return this.runs.drift() != null;
	}

	/**
	 * Compare the live schema with the stored reference of its version now, under the
	 * migration lock, without waiting for it.
	 * @return what was found; {@code SKIPPED} when a migration holds the lock
	 * @throws io.apiforge.migrations.MigrationsException when the database cannot be read
	 * @throws IllegalStateException when drift detection is off
	 */
	public DriftReport drift() {
		return requireDrift().detector().check();
	}

	/**
	 * Store the live schema as the reference of its version, under the migration lock.
	 * @param who who accepts it, for the record and the log
	 * @return the check after the accept
	 * @throws io.apiforge.migrations.MigrationsException when the lock was not free in
	 * time or the database cannot be read or written
	 * @throws IllegalStateException when drift detection is off
	 */
	public DriftReport acceptDrift(String who) {
		return requireDrift().detector().accept(who);
	}

	private DriftCheck requireDrift() {
		DriftCheck drift = this.runs.drift();
		Assert.state(drift != null, "Drift detection is off (migrations.drift.enabled=false)");
		return drift;
	}

	/**
	 * Return the SQL of a migration script of this application.
	 * @param script the script's name, as the schema history records it
	 * @return the SQL, or {@code null} when the script is not found
	 */
	public @Nullable String readScript(String script) {
		return this.scripts.read(script);
	}

	/**
	 * Return the last report of the lint of pending migrations.
	 * @return the report, or {@code null} when the lint is off or has not run
	 */
	public @Nullable LintReport lastLintReport() {
		return (this.lint != null) ? this.lint.lastReport() : null;
	}

	/**
	 * Return the lowest lint severity that stops a migration.
	 * @return the setting, or {@code null} when the lint is off
	 */
	public @Nullable LintFailOn lintFailOn() {
		return (this.lint != null) ? this.lint.getFailOn() : null;
	}

}
