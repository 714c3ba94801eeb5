package io.apiforge.migrations.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * One run of an operation: a migration, a validation, a rollback or an on-demand backup.
 *
 * @param operation what the run did, or set out to do
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param outcome how it ended
 * @param fromVersion the schema version before, or {@code null} when nothing was applied
 * @param toVersion the schema version after, or {@code null} when nothing is applied
 * @param executed the migrations it applied (or, for a rollback, undid), in order
 * @param backup the backup it took, or {@code null} when it took none
 * @param lockWait how long it waited for the migration lock, or {@code null} when it did
 * not take the lock
 * @param error what went wrong, or {@code null} when it did not fail or was refused
 * @author apiforge
 */
public record MigrationRun(OperationType operation, Instant startedAt, Instant finishedAt, RunOutcome outcome, @Nullable String fromVersion,
		@Nullable String toVersion, List<MigrationSummary> executed, @Nullable BackupRecord backup,
		@Nullable Duration lockWait, @Nullable String error) {

	/**
	 * Return how long the run took.
	 * @return the duration
	 */
	public Duration duration() {
		return Duration.between(this.startedAt, this.finishedAt);
	}

	/**
	 * Return whether the run failed or was refused.
	 * @return whether the outcome is {@link RunOutcome#FAILED} or
	 * {@link RunOutcome#REFUSED}
	 */
	public boolean isFailure() {
		return this.outcome == RunOutcome.FAILED || this.outcome == RunOutcome.REFUSED;
	}

}
