package io.apiforge.migrations.status;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A run in progress, as far as it has got: what the endpoint shows as {@code running}
 * and the health contributor as its {@code running} detail.
 *
 * @param operation what the run does
 * @param phase where it is
 * @param startedAt when it started
 * @param step the step being applied, from 1, or 0 before the first
 * @param steps how many steps it applies (the pending migrations, or the versions to
 * undo), or 0 before it knows
 * @param version the version of the step being applied, or {@code null} (before the
 * first step, or for a repeatable migration)
 * @param description the description of the step being applied, or {@code null}
 * @param backfill how far the step's batched backfill has got, or {@code null} when the
 * step is not one (or has not reported yet)
 * @author apiforge
 */
public record RunningOperation(OperationType operation, RunPhase phase, Instant startedAt, int step, int steps,
		@Nullable String version, @Nullable String description, @Nullable BackfillProgress backfill) {

	RunningOperation inPhase(RunPhase phase, int steps) {
		return new RunningOperation(this.operation, phase, this.startedAt, 0, steps, null, null, null);
	}

	RunningOperation atStep(@Nullable String version, @Nullable String description) {
		return new RunningOperation(this.operation, this.phase, this.startedAt, this.step + 1, this.steps, version,
				description, null);
	}

	RunningOperation withBackfill(BackfillProgress backfill) {
		return new RunningOperation(this.operation, this.phase, this.startedAt, this.step, this.steps, this.version,
				this.description, backfill);
	}

}
