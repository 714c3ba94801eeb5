package io.apiforge.migrations.autoconfigure;

/**
 * The built-in backup strategies {@code migrations.backup.strategy} chooses from. A
 * {@link io.apiforge.migrations.backup.BackupStrategy} bean replaces the choice.
 *
 * @author apiforge
 */
public enum BackupStrategyType {

	/**
	 * {@code pg_dump} when a compatible one is found, otherwise {@code jdbc}.
	 */
	AUTO,

	/**
	 * {@code pg_dump}, found on the {@code PATH} or at
	 * {@code migrations.backup.pg-dump.path}.
	 */
	PG_DUMP,

	/**
	 * A logical dump over the application's own connection, with no binary: a
	 * compressed SQL script that {@code psql} restores. Refuses a database holding
	 * objects it cannot rebuild.
	 */
	JDBC,

	/**
	 * No backup: each migration logs that it ran without one.
	 */
	NONE

}
