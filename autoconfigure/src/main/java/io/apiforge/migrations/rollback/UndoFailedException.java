package io.apiforge.migrations.rollback;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;

/**
 * An undo step failed: the rollback stopped there, with the schema at the last version
 * it reached (each step is its own transaction).
 *
 * @author apiforge
 */
public class UndoFailedException extends MigrationsException {

	private final String script;

	private final @Nullable String reachedVersion;

	/**
	 * Create a new exception.
	 * @param message which undo failed, where, and what the database said
	 * @param action what to do about it
	 * @param script the failing undo script (or class)
	 * @param reachedVersion the version the schema is at now
	 * @param cause the failure
	 */
	public UndoFailedException(String message, String action, String script, @Nullable String reachedVersion,
			Throwable cause) {
		super(message, action, cause);
		this.script = script;
		this.reachedVersion = reachedVersion;
	}

	/**
	 * Return the undo script (or class) that failed.
	 * @return the script
	 */
	public String getScript() {
		return this.script;
	}

	/**
	 * Return the version the schema is at after the failure.
	 * @return the version, or {@code null} when none is applied
	 */
	public @Nullable String getReachedVersion() {
		return this.reachedVersion;
	}

}
