package io.apiforge.migrations.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * One run of the migration lifecycle.
 *
 * @param startedAt when it started
 * @param finishedAt when it ended
 * @param outcome how it ended
 * @param fromVersion the schema version before, or {@code null} when nothing was applied
 * @param toVersion the schema version after, or {@code null} when nothing is applied
 * @param executed the migrations it applied, in order
 * @param backup the backup it took, or {@code null} when it took none
 * @param lockWait how long it waited for the migration lock, or {@code null} when it did
 * not take the lock
 * @param error what went wrong, or {@code null} when it did not fail
 * @author apiforge
 */
public record MigrationRun(Instant startedAt, Instant finishedAt, RunOutcome outcome, @Nullable String fromVersion,
		@Nullable String toVersion, List<MigrationSummary> executed, @Nullable BackupRecord backup,
		@Nullable Duration lockWait, @Nullable String error) {

	/**
	 * Return how long the run took.
	 * @return the duration
	 */
	public Duration duration() {
		return Duration.between(this.startedAt, this.finishedAt);
	}

}
