package io.apiforge.migrations.status;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Tells the status how far one run has got, from its start to its end. Created by
 * {@link MigrationStatusHolder#runStarted}; the run calls {@link #ended()} once it has
 * recorded its outcome, so that a reader never sees the run neither running nor done.
 *
 * @author apiforge
 */
public final class RunTracker {

	private final AtomicReference<RunningOperation> running;

	private final Consumer<RunTracker> onEnd;

	RunTracker(RunningOperation running, Consumer<RunTracker> onEnd) {
		this.running = new AtomicReference<>(running);
		this.onEnd = onEnd;
	}

	/**
	 * Record that the run entered a phase.
	 * @param phase the phase
	 */
	public void phase(RunPhase phase) {
		phase(phase, 0);
	}

	/**
	 * Record that the run entered a phase of a known number of steps.
	 * @param phase the phase
	 * @param steps how many steps it applies
	 */
	public void phase(RunPhase phase, int steps) {
		this.running.updateAndGet((current) -> current.inPhase(phase, steps));
	}

	/**
	 * Record that the run started its next step.
	 * @param version the step's version, or {@code null} for a repeatable migration
	 * @param description the step's description
	 */
	public void step(@Nullable String version, @Nullable String description) {
		this.running.updateAndGet((current) -> current.atStep(version, description));
	}

	/**
	 * Record how far the current step's batched backfill has got.
	 * @param backfill the progress
	 */
	public void backfill(BackfillProgress backfill) {
		this.running.updateAndGet((current) -> current.withBackfill(backfill));
	}

	/**
	 * Record that the run ended (its outcome already recorded).
	 */
	public void ended() {
		this.onEnd.accept(this);
	}

	RunningOperation current() {
		return this.running.get();
	}

}
