package io.apiforge.migrations.operations;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.RunPhase;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * What one kind of operation supplies to the {@link LockedRun} template: what to do
 * given the schema, whether to back up first, how to apply it, and how to report it. The
 * template owns the order (inspect, plan, lock, inspect and plan again, back up, apply,
 * record, publish) and the failure policy.
 *
 * @param <P> the plan: what the operation will do, read from the schema
 * @author apiforge
 */
interface LockedOperation<P> {

	/**
	 * Return the kind of operation.
	 * @return the kind
	 */
	OperationType type();

	/**
	 * Decide what to do, from the schema as just inspected: once before the lock, and
	 * again under it. Must not change anything.
	 * @param flyway the Flyway instance
	 * @param schema the schema
	 * @param underLock whether the lock is held
	 * @return the plan
	 * @throws MigrationsException to refuse: the run ends {@link RunOutcome#REFUSED},
	 * nothing changed
	 */
	P plan(Flyway flyway, SchemaSnapshot schema, boolean underLock);

	/**
	 * Say why there is nothing to do, if there is nothing.
	 * @param plan the plan
	 * @param underLock whether the lock is held (another instance may have done the work
	 * while this one waited)
	 * @return why nothing is done, for the log, or {@code null} when there is work
	 */
	@Nullable String nothingToDo(P plan, boolean underLock);

	/**
	 * Announce the work, under the lock, before the backup.
	 * @param flyway the Flyway instance
	 * @param plan the plan
	 * @param schema the schema read under the lock
	 * @return the event to publish, or {@code null}
	 */
	default @Nullable ApplicationEvent started(Flyway flyway, P plan, SchemaSnapshot schema) {
		return null;
	}

	/**
	 * Return what the backup step before {@link #apply} backs up.
	 * @param flyway the Flyway instance
	 * @param plan the plan
	 * @param schema the schema read under the lock
	 * @return the request, or {@code null} for no backup step
	 */
	@Nullable BackupRequest backupRequest(Flyway flyway, P plan, SchemaSnapshot schema);

	/**
	 * Return how many steps {@link #apply} takes, for the progress readers see.
	 * @param plan the plan
	 * @param schema the schema read under the lock
	 * @return the number of steps, or 0 when it is not counted in steps
	 */
	default int steps(P plan, SchemaSnapshot schema) {
		return 0;
	}

	/**
	 * Return the phase readers see while {@link #apply} runs.
	 * @return the phase
	 */
	default RunPhase applyPhase() {
		return RunPhase.APPLYING;
	}

	/**
	 * Do the work, under the lock.
	 * @param flyway the Flyway instance
	 * @param plan the plan
	 * @param schema the schema read under the lock
	 * @param run what the run has done so far: record each step done, and check the lock
	 * before each step that must not run twice at once
	 */
	void apply(Flyway flyway, P plan, SchemaSnapshot schema, RunProgress run);

	/**
	 * Return the outcome of a run that applied its plan.
	 * @return the outcome
	 */
	RunOutcome completedOutcome();

	/**
	 * Return what the run executed, for its record.
	 * @param before the schema under the lock
	 * @param after the schema after the run, or {@code null} when it could not be read
	 * @param done the steps {@link #apply} recorded
	 * @return the migrations executed (or undone)
	 */
	List<MigrationSummary> executed(SchemaSnapshot before, @Nullable SchemaSnapshot after, List<MigrationSummary> done);

	/**
	 * Turn a failure into one a user can act on.
	 * @param failure what was thrown
	 * @param before the schema before the work, or {@code null}
	 * @return the failure with its message and action
	 */
	MigrationsException describe(RuntimeException failure, @Nullable SchemaSnapshot before);

	/**
	 * Return the one-paragraph log line of a run that applied its plan.
	 * @param run the run
	 * @param after the schema after it
	 * @return the line
	 */
	String report(MigrationRun run, SchemaSnapshot after);

	/**
	 * Return the log line of a run that failed or was refused.
	 * @param run the run
	 * @param after the schema after it, or {@code null} when it could not be read
	 * @param failure what went wrong
	 * @return the line
	 */
	String failureReport(MigrationRun run, @Nullable SchemaSnapshot after, MigrationsException failure);

	/**
	 * Return the event of a run that applied its plan.
	 * @param flyway the Flyway instance
	 * @param run the run
	 * @return the event
	 */
	ApplicationEvent completed(Flyway flyway, MigrationRun run);

	/**
	 * Return the event of a run that failed or was refused.
	 * @param flyway the Flyway instance
	 * @param run the run
	 * @param failure what went wrong
	 * @return the event
	 */
	ApplicationEvent failed(Flyway flyway, MigrationRun run, MigrationsException failure);

}
