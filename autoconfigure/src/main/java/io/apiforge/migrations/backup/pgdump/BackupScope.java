package io.apiforge.migrations.backup.pgdump;

/**
 * What {@code pg_dump} backs up.
 *
 * @author apiforge
 */
public enum BackupScope {

	/**
	 * The whole database: every schema, whatever Flyway manages. Restores to exactly the
	 * state before the migration.
	 */
	DATABASE,

	/**
	 * Only the schemas Flyway manages ({@code spring.flyway.schemas}, or the default
	 * schema): smaller, for databases shared with data a migration never touches.
	 */
	SCHEMAS

}
