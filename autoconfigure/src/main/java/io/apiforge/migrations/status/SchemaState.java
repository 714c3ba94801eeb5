package io.apiforge.migrations.status;

/**
 * Where the schema stands relative to the migrations the application ships.
 *
 * @author apiforge
 */
public enum SchemaState {

	/**
	 * The schema has not been inspected yet (the lifecycle has not run).
	 */
	UNKNOWN,

	/**
	 * No migration has been applied yet and some are pending: an empty database.
	 */
	NOT_INITIALIZED,

	/**
	 * Some migrations have been applied and others are pending, including a schema that
	 * went back below the version this application expects (another instance rolled it
	 * back).
	 */
	PENDING,

	/**
	 * Every migration the application ships has been applied.
	 */
	UP_TO_DATE,

	/**
	 * The database holds applied versions the application does not know, as during a
	 * rolling deployment when a newer version has already migrated.
	 */
	AHEAD,

	/**
	 * A migration is recorded as failed in the schema history.
	 */
	FAILED,

	/**
	 * The schema history table disappeared or was emptied after versions had been
	 * applied: someone dropped or truncated it, or the database was replaced. Nothing
	 * can be said of the schema until the lifecycle inspects it again.
	 */
	HISTORY_MISSING

}
