package io.apiforge.migrations.backup;

/**
 * What the lifecycle does when the backup before a migration fails.
 *
 * @author apiforge
 */
public enum OnBackupFailure {

	/**
	 * Stop: no migration runs, start-up fails with the backup's error. The default: a
	 * migration never runs without the backup that was asked for.
	 */
	ABORT,

	/**
	 * Migrate anyway, with a warning in the log. For throw-away databases only.
	 */
	CONTINUE

}
