package io.apiforge.migrations.operations;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.events.RollbackCompletedEvent;
import io.apiforge.migrations.events.RollbackFailedEvent;
import io.apiforge.migrations.rollback.RollbackPlan;
import io.apiforge.migrations.rollback.RollbackPlanner;
import io.apiforge.migrations.rollback.RollbackRefusedException;
import io.apiforge.migrations.rollback.RollbackStep;
import io.apiforge.migrations.rollback.UndoStepExecutor;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Roll back to a target with undo scripts: the whole plan is checked before anything is
 * touched (and again under the lock), then each version is undone in its own
 * transaction together with the removal of its history row, newest first, the lock
 * checked before each. An undo that fails stops the rollback there.
 *
 * @author apiforge
 */
final class RollbackOperation implements LockedOperation<RollbackPlan> {

	private static final Log logger = LogFactory.getLog(RollbackOperation.class);

	private final String history;

	private final RollbackPlanner planner;

	private final UndoStepExecutor undoExecutor;

	private final String target;

	RollbackOperation(String history, RollbackPlanner planner, UndoStepExecutor undoExecutor, String target) {
		this.history = history;
		this.planner = planner;
		this.undoExecutor = undoExecutor;
		this.target = target;
	}

	@Override
	public OperationType type() {
		return OperationType.ROLLBACK;
	}

	@Override
	public RollbackPlan plan(Flyway flyway, SchemaSnapshot schema, boolean underLock) {
		RollbackPlan plan = this.planner.plan(flyway, this.target);
		if (!plan.isPossible()) {
			throw new RollbackRefusedException(
					"Rollback to " + plan.target() + " refused, nothing was changed: " + String.join(" ", plan.problems()),
					"Fix what is listed (GET /actuator/migrations/plan?target=" + plan.target()
							+ " or migrations.mode=plan shows the plan), then run the rollback again.");
		}
		return plan;
	}

	@Override
	public @Nullable String nothingToDo(RollbackPlan plan, boolean underLock) {
		return plan.steps().isEmpty() ? "Rollback to " + plan.target() + ": the schema is already at version "
				+ plan.currentVersion() + "; nothing to undo." : null;
	}

	@Override
	public BackupRequest backupRequest(Flyway flyway, RollbackPlan plan, SchemaSnapshot schema) {
		Configuration configuration = flyway.getConfiguration();
		String targetVersion = RollbackPlanner.BASE.equalsIgnoreCase(plan.target()) ? null : plan.target();
		return new BackupRequest(configuration.getDataSource(), SchemaHistory.schemasOf(configuration),
				plan.currentVersion(), targetVersion, plan.steps().size(), BackupKind.PRE_ROLLBACK);
	}

	@Override
	public int steps(RollbackPlan plan, SchemaSnapshot schema) {
		return plan.steps().size();
	}

	@Override
	public void apply(Flyway flyway, RollbackPlan plan, SchemaSnapshot schema, RunProgress run) {
		for (RollbackStep step : plan.steps()) {
			run.checkLock("the undo of version " + step.version());
			run.stepStarted(step.version(), step.description());
			this.undoExecutor.undo(flyway.getConfiguration(), step);
			run.done(new MigrationSummary(null, step.version(), step.description(), String.valueOf(step.undo()), "UNDO",
					"UNDONE", null, null, null, null));
			logger.info("Undid version " + step.version() + " (" + step.undo() + ")");
		}
	}

	@Override
	public RunOutcome completedOutcome() {
		return RunOutcome.ROLLED_BACK;
	}

	@Override
	public List<MigrationSummary> executed(SchemaSnapshot before, @Nullable SchemaSnapshot after,
			List<MigrationSummary> done) {
		return List.copyOf(done);
	}

	@Override
	public MigrationsException describe(RuntimeException failure, @Nullable SchemaSnapshot before) {
		if (failure instanceof MigrationsException described) {
			return described;
		}
		return new MigrationsException("Rollback to " + this.target + " failed: " + failure,
				"Read the cause below. Every version undone before the failure is recorded as undone in the schema history; "
						+ "the step that failed was rolled back. Fix the cause and run the rollback again: it continues from where it stopped.",
				failure);
	}

	@Override
	public String report(MigrationRun run, SchemaSnapshot after) {
		return "Rolled back " + this.history + " from version " + run.fromVersion() + " to " + run.toVersion() + " in "
				+ DurationFormat.format(run.duration()) + ": undid "
				+ run.executed().stream().map(MigrationSummary::version).collect(Collectors.joining(", ")) + ". Backup: "
				+ ((run.backup() != null) ? run.backup().location() : "none taken") + ".";
	}

	@Override
	public String failureReport(MigrationRun run, @Nullable SchemaSnapshot after, MigrationsException failure) {
		String verb = (run.outcome() == RunOutcome.REFUSED) ? " REFUSED: " : " FAILED: ";
		return "Rollback of " + this.history + " to " + this.target + verb + failure.getMessage()
				+ (run.executed().isEmpty() ? ""
						: " Undone before the failure: "
								+ run.executed().stream().map(MigrationSummary::version).collect(Collectors.joining(", "))
								+ ".")
				+ " Action: " + failure.getAction();
	}

	@Override
	public ApplicationEvent completed(Flyway flyway, MigrationRun run) {
		return new RollbackCompletedEvent(flyway, run);
	}

	@Override
	public ApplicationEvent failed(Flyway flyway, MigrationRun run, MigrationsException failure) {
		return new RollbackFailedEvent(flyway, run, failure);
	}

}
