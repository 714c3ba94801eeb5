package io.apiforge.migrations.status;

/**
 * How a run of the lifecycle ended.
 *
 * @author apiforge
 */
public enum RunOutcome {

	/**
	 * Pending migrations were applied.
	 */
	MIGRATED,

	/**
	 * Nothing was pending, or another instance had applied it by the time the lock was
	 * taken: no backup, no migration.
	 */
	UP_TO_DATE,

	/**
	 * The schema was only inspected ({@code validate} mode).
	 */
	VALIDATED,

	/**
	 * Applied versions were undone down to a target ({@code rollback}).
	 */
	ROLLED_BACK,

	/**
	 * The run failed: the lock, the backup, a migration or an undo step.
	 */
	FAILED

}
