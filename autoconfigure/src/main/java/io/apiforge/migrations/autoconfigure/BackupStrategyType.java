package io.apiforge.migrations.autoconfigure;

/**
 * The built-in backup strategies {@code migrations.backup.strategy} chooses from. A
 * {@link io.apiforge.migrations.backup.BackupStrategy} bean replaces the choice.
 *
 * @author apiforge
 */
public enum BackupStrategyType {

	/**
	 * {@code pg_dump} when a compatible one is found, otherwise a refusal that names the
	 * fix. (A strategy that needs no binary is planned as its fallback.)
	 */
	AUTO,

	/**
	 * {@code pg_dump}, found on the {@code PATH} or at
	 * {@code migrations.backup.pg-dump.path}.
	 */
	PG_DUMP,

	/**
	 * No backup: each migration logs that it ran without one.
	 */
	NONE

}
