package io.apiforge.migrations.rollback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.lifecycle.BackupStep;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Rolls the schema back to a target version with undo scripts: checks the whole plan
 * first (and refuses with every problem listed), takes the migration lock, checks the
 * plan again inside it, backs up, then undoes one version per transaction, removing that
 * version's row from the schema history in the same transaction, so that the history
 * always tells the truth and a later migrate applies the version again. An undo that
 * fails stops the rollback there, at the last version it reached.
 *
 * @author apiforge
 */
public class MigrationRollback {

	private static final Log logger = LogFactory.getLog(MigrationRollback.class);

	private final RollbackPlanner planner;

	private final MigrationLockProvider lockProvider;

	private final BackupStep backupStep;

	private final MigrationStatusHolder status;

	private final ApplicationEventPublisher events;

	private final Duration lockTimeout;

	private final Clock clock;

	private final UndoStepExecutor undoExecutor = new UndoStepExecutor();

	/**
	 * Create a rollback.
	 * @param planner checks and lists the steps
	 * @param lockProvider takes the migration lock
	 * @param backupStep takes the backup before the first undo
	 * @param status receives the schema and the run
	 * @param events receives the events
	 * @param lockTimeout how long to wait for the lock
	 * @param clock the clock that stamps the run
	 */
	public MigrationRollback(RollbackPlanner planner, MigrationLockProvider lockProvider, BackupStep backupStep,
			MigrationStatusHolder status, ApplicationEventPublisher events, Duration lockTimeout, Clock clock) {
		Assert.notNull(planner, "'planner' must not be null");
		Assert.notNull(lockProvider, "'lockProvider' must not be null");
		Assert.notNull(backupStep, "'backupStep' must not be null");
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(events, "'events' must not be null");
		Assert.notNull(lockTimeout, "'lockTimeout' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.planner = planner;
		this.lockProvider = lockProvider;
		this.backupStep = backupStep;
		this.status = status;
		this.events = events;
		this.lockTimeout = lockTimeout;
		this.clock = clock;
	}

	/**
	 * Return what a rollback to a target would do, without doing it.
	 * @param flyway the Flyway instance
	 * @param target {@code base} or an applied version
	 * @return the plan
	 */
	public RollbackPlan plan(Flyway flyway, String target) {
		return this.planner.plan(flyway, target);
	}

	/**
	 * Roll back to a target.
	 * @param flyway the Flyway instance
	 * @param target {@code base} or an applied version
	 * @return the run
	 * @throws RollbackRefusedException when the plan is not possible; nothing changed
	 * @throws UndoFailedException when an undo failed; the schema is at the last version
	 * reached
	 */
	public MigrationRun rollback(Flyway flyway, String target) {
		Instant startedAt = this.clock.instant();
		Configuration configuration = flyway.getConfiguration();
		RollbackPlan plan = this.planner.plan(flyway, target);
		List<RollbackStep> undone = new ArrayList<>();
		BackupRecord backup = null;
		Duration lockWait = null;
		try {
			refuseIfImpossible(plan);
			try (MigrationLock lock = this.lockProvider.acquire(configuration.getDataSource(),
					SchemaHistory.tableOf(configuration), this.lockTimeout)) {
				lockWait = lock.waited();
				plan = this.planner.plan(flyway, target);
				refuseIfImpossible(plan);
				if (plan.steps().isEmpty()) {
					logger.info("Rollback to " + target + ": the schema is already at version " + plan.currentVersion()
							+ "; nothing to undo.");
					return record(flyway, startedAt, RunOutcome.UP_TO_DATE, plan, List.of(), null, lockWait, null);
				}
				String targetVersion = RollbackPlanner.BASE.equalsIgnoreCase(plan.target()) ? null : plan.target();
				backup = this.backupStep.take(flyway, new BackupRequest(configuration.getDataSource(),
						SchemaHistory.schemasOf(configuration), plan.currentVersion(), targetVersion, plan.steps().size()));
				for (RollbackStep step : plan.steps()) {
					this.undoExecutor.undo(configuration, step);
					undone.add(step);
					logger.info("Undid version " + step.version() + " (" + step.undo() + ")");
				}
			}
			MigrationRun run = record(flyway, startedAt, RunOutcome.ROLLED_BACK, plan, undone, backup, lockWait, null);
			logger.info("Rolled back " + SchemaHistory.tableOf(configuration) + " from version " + plan.currentVersion()
					+ " to " + run.toVersion() + " in " + DurationFormat.format(run.duration()) + ": undid "
					+ undone.stream().map(RollbackStep::version).collect(Collectors.joining(", ")) + ". Backup: "
					+ ((backup != null) ? backup.location() : "none taken") + ".");
			this.events.publishEvent(new RollbackCompletedEvent(flyway, run));
			return run;
		}
		catch (MigrationsException ex) {
			MigrationRun run = record(flyway, startedAt, RunOutcome.FAILED, plan, undone, backup, lockWait,
					ex.getMessage());
			logger.error("Rollback of " + SchemaHistory.tableOf(configuration) + " to " + plan.target() + " FAILED: "
					+ ex.getMessage() + " Action: " + ex.getAction());
			this.events.publishEvent(new RollbackFailedEvent(flyway, run, ex));
			throw ex;
		}
	}

	private static void refuseIfImpossible(RollbackPlan plan) {
		if (!plan.isPossible()) {
			throw new RollbackRefusedException(
					"Rollback to " + plan.target() + " refused, nothing was changed: " + String.join(" ", plan.problems()),
					"Fix what is listed (GET /actuator/migrations/plan?target=" + plan.target()
							+ " or migrations.mode=plan shows the plan), then run the rollback again.");
		}
	}

	private MigrationRun record(Flyway flyway, Instant startedAt, RunOutcome outcome, RollbackPlan plan,
			List<RollbackStep> undone, @Nullable BackupRecord backup, @Nullable Duration lockWait,
			@Nullable String error) {
		SchemaSnapshot after;
		try {
			after = SchemaSnapshot.of(flyway.info(), this.clock.instant());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not inspect the schema after the rollback", ex);
			after = this.status.current().schema();
		}
		List<MigrationSummary> steps = undone.stream()
			.map((step) -> new MigrationSummary(null, step.version(), step.description(), String.valueOf(step.undo()),
					"UNDO", "UNDONE", null, null, null, null))
			.toList();
		MigrationRun run = new MigrationRun(startedAt, this.clock.instant(), outcome, plan.currentVersion(),
				after.currentVersion(), steps, backup, lockWait, error);
		this.status.recordRun(after, run);
		return run;
	}

}
