package io.apiforge.migrations.status;

/**
 * What a run did, or set out to do.
 *
 * @author apiforge
 */
public enum OperationType {

	/**
	 * Apply the pending migrations (at start-up, as a job, or on an operator's request).
	 */
	MIGRATE,

	/**
	 * Only inspect the schema ({@code validate} mode).
	 */
	VALIDATE,

	/**
	 * Undo applied versions down to a target.
	 */
	ROLLBACK,

	/**
	 * Take a backup on an operator's request.
	 */
	BACKUP;

	/**
	 * Return whether a run of this kind changes the schema, so that its failure says
	 * something about the schema (and health), until a later look at the schema shows it
	 * superseded.
	 * @return whether the operation changes the schema
	 */
	public boolean changesSchema() {
		return this == MIGRATE || this == ROLLBACK;
	}

}
