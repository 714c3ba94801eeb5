package io.apiforge.migrations.rollback;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.rollback.UndoScripts.UndoScript;

/**
 * One step of a rollback: undo one applied version.
 *
 * @param version the version to undo
 * @param description its description
 * @param script the migration's script (or class)
 * @param undoScript the SQL undo script, or {@code null}
 * @param undoMigration the Java migration that undoes itself, or {@code null}
 * @param estimated how long the migration took when applied (an estimate of its undo),
 * or {@code null}
 * @param sql the undo script's SQL as it runs (Flyway's placeholders replaced), or
 * {@code null} for a Java migration
 * @param transactional whether the undo and the deletion of the history row run in one
 * transaction: always, except for an undo script whose {@code .sql.conf} sets
 * {@code executeInTransaction=false}, or one with a statement that cannot run in a
 * transaction (which the plan refuses)
 * @author apiforge
 */
public record RollbackStep(String version, String description, String script, @Nullable UndoScript undoScript,
		@Nullable UndoableJavaMigration undoMigration, @Nullable Duration estimated, @Nullable String sql,
		boolean transactional) {

	/**
	 * Return whether this step can be undone.
	 * @return whether an undo script or an undoable Java migration exists
	 */
	public boolean hasUndo() {
		return this.undoScript != null || this.undoMigration != null;
	}

	/**
	 * Return what undoes this step, for people.
	 * @return the undo script's name, the Java migration's class, or {@code null}
	 */
	public @Nullable String undo() {
		if (this.undoScript != null) {
			return this.undoScript.filename();
		}
		return (this.undoMigration != null) ? this.undoMigration.getClass().getName() : null;
	}

}
