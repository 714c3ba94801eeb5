package io.apiforge.migrations.lifecycle;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;

/**
 * A migration failed: names the script, the line and the database's error.
 *
 * @author apiforge
 */
public class MigrationFailedException extends MigrationsException {

	private final @Nullable String script;

	private final int lineNumber;

	private final @Nullable String sqlState;

	/**
	 * Create a new exception.
	 * @param message what failed, where, and what the database said
	 * @param action what to do about it
	 * @param script the failing migration's script, or {@code null} when the failure
	 * was not in a migration
	 * @param lineNumber the line of the failing statement, or {@code -1} when unknown
	 * @param sqlState the SQL state, or {@code null} when unknown
	 * @param cause the failure Flyway reported
	 */
	public MigrationFailedException(String message, String action, @Nullable String script, int lineNumber,
			@Nullable String sqlState, @Nullable Throwable cause) {
		super(message, action, cause);
		this.script = script;
		this.lineNumber = lineNumber;
		this.sqlState = sqlState;
	}

	/**
	 * Return the failing migration's script.
	 * @return the script, or {@code null} when the failure was not in a migration
	 */
	public @Nullable String getScript() {
		return this.script;
	}

	/**
	 * Return the line of the failing statement.
	 * @return the line, or {@code -1} when unknown
	 */
	public int getLineNumber() {
		return this.lineNumber;
	}

	/**
	 * Return the SQL state the database reported.
	 * @return the SQL state, or {@code null} when unknown
	 */
	public @Nullable String getSqlState() {
		return this.sqlState;
	}

}
