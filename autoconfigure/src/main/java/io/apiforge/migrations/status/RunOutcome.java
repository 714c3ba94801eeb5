package io.apiforge.migrations.status;

/**
 * How a run ended.
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
	 * A backup was taken on an operator's request.
	 */
	BACKED_UP,

	/**
	 * The run was refused before it changed anything: a rollback whose plan is not
	 * possible, the lock held by another instance past {@code migrations.lock.timeout},
	 * the lint's {@code fail-on}. The schema is as it was, and health ignores the run.
	 */
	REFUSED,

	/**
	 * The run failed: the lock was lost, the backup, a migration or an undo step failed.
	 */
	FAILED

}
