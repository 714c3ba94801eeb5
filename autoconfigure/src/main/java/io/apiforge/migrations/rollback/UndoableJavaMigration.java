package io.apiforge.migrations.rollback;

import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Java migration that can be undone: implement it beside Flyway's
 * {@code BaseJavaMigration} and the rollback calls {@link #undo(Context)} when it rolls
 * back past this migration's version.
 * <p>
 * {@code undo} runs in the rollback's transaction for this version (the connection's
 * auto-commit is off; do not commit or roll back yourself), together with the removal of
 * the version's row from the schema history: both happen, or neither.
 *
 * @author apiforge
 */
public interface UndoableJavaMigration extends JavaMigration {

	/**
	 * Undo what {@link #migrate(Context)} did.
	 * @param context the connection and Flyway's configuration
	 * @throws Exception when the undo failed; the version stays applied
	 */
	void undo(Context context) throws Exception;

}
