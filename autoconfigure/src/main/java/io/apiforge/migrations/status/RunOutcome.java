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
	 * The run failed: the lock, the backup or a migration.
	 */
	FAILED

}
