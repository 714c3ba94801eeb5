package io.apiforge.migrations.status;

/**
 * Where a run in progress is.
 *
 * @author apiforge
 */
public enum RunPhase {

	/**
	 * Reading the schema and planning, before the lock or again under it.
	 */
	INSPECTING,

	/**
	 * Waiting for the migration lock, which another instance (or another run of this
	 * one) holds.
	 */
	WAITING_FOR_LOCK,

	/**
	 * Taking the backup.
	 */
	BACKING_UP,

	/**
	 * Applying the migrations (or undoing versions), one step at a time.
	 */
	APPLYING

}
