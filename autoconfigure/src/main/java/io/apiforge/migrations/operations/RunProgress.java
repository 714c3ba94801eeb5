package io.apiforge.migrations.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunPhase;
import io.apiforge.migrations.status.RunTracker;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * What a run has done so far, so that a run that fails half-way is recorded as it is:
 * the schema it started from, the lock it waited for, the backup it took, the steps done.
 * It also tells the status where the run is ({@link RunTracker}), for readers while it
 * runs.
 *
 * @author apiforge
 */
final class RunProgress {

	private final Instant startedAt;

	private final RunTracker tracker;

	private @Nullable SchemaSnapshot before;

	private @Nullable MigrationLock lock;

	private @Nullable Duration lockWait;

	private @Nullable BackupRecord backup;

	private boolean refusing;

	private boolean applying;

	private final List<MigrationSummary> done = new ArrayList<>();

	RunProgress(Instant startedAt, RunTracker tracker) {
		this.startedAt = startedAt;
		this.tracker = tracker;
	}

	/**
	 * Tell readers that the run entered a phase.
	 * @param phase the phase
	 * @param steps how many steps it applies, or 0
	 */
	void phase(RunPhase phase, int steps) {
		this.tracker.phase(phase, steps);
	}

	/**
	 * Tell readers that the run started its next step, one it applies itself (an undo).
	 * @param version the step's version
	 * @param description the step's description
	 */
	void stepStarted(@Nullable String version, @Nullable String description) {
		this.tracker.step(version, description);
	}

	RunTracker tracker() {
		return this.tracker;
	}

	/**
	 * Check that the run still holds the lock, before a step that must not run twice at
	 * once.
	 * @param step the step, such as {@code "the migration"}
	 * @throws io.apiforge.migrations.lock.MigrationLockLostException when it lost it
	 */
	void checkLock(String step) {
		if (this.lock != null) {
			this.lock.verify(step);
		}
	}

	/**
	 * Record a step done.
	 * @param step the migration applied or undone
	 */
	void done(MigrationSummary step) {
		this.done.add(step);
	}

	/**
	 * Record a backup taken.
	 * @param backup the backup, or {@code null} when none was
	 */
	void backup(@Nullable BackupRecord backup) {
		this.backup = backup;
	}

	Instant startedAt() {
		return this.startedAt;
	}

	@Nullable SchemaSnapshot before() {
		return this.before;
	}

	void before(SchemaSnapshot before) {
		this.before = before;
	}

	void locked(MigrationLock lock) {
		this.lock = lock;
		this.lockWait = lock.waited();
	}

	void unlocked() {
		this.lock = null;
	}

	@Nullable Duration lockWait() {
		return this.lockWait;
	}

	@Nullable BackupRecord backup() {
		return this.backup;
	}

	List<MigrationSummary> done() {
		return this.done;
	}

	/**
	 * Mark whether a failure now is a refusal: while the operation plans (and refuses
	 * what it cannot do), and when the lock was not free in time. Nothing has changed
	 * then.
	 * @param refusing whether a failure now is a refusal
	 */
	void refusing(boolean refusing) {
		this.refusing = refusing;
	}

	boolean isRefusing() {
		return this.refusing;
	}

	/**
	 * Mark that the operation started changing the schema: from here on, what changed
	 * may be this run's doing. Before, a change seen afterwards is another instance's.
	 */
	void applying() {
		this.applying = true;
	}

	boolean isApplying() {
		return this.applying;
	}

}
