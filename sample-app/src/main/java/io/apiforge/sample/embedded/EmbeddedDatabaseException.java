package io.apiforge.sample.embedded;

import org.jspecify.annotations.Nullable;

/**
 * The embedded PostgreSQL could not start. The message says what happened,
 * {@link #getAction()} what to do; {@link EmbeddedDatabaseFailureAnalyzer} prints both
 * instead of a stack trace.
 *
 * @author apiforge
 */
public class EmbeddedDatabaseException extends RuntimeException {

	private final String action;

	/**
	 * Create a new exception.
	 * @param message what happened and why
	 * @param action what the user should do about it
	 * @param cause the underlying failure, or {@code null}
	 */
	public EmbeddedDatabaseException(String message, String action, @Nullable Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	/**
	 * Return what the user should do about this failure.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
