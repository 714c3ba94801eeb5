package io.apiforge.migrations;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ExitCodeGenerator;

/**
 * A failure of the migration lifecycle that a user must read: the message says what
 * happened and why, {@link #getAction()} says what to do about it. Spring Boot's failure
 * analysis prints both instead of a stack trace, and a {@code migrate-and-exit} run ends
 * with {@link #getExitCode()}.
 *
 * @author apiforge
 */
public class MigrationsException extends RuntimeException implements ExitCodeGenerator {

	/** Exit code of a {@code migrate-and-exit} run that failed in the lifecycle. */
	public static final int EXIT_CODE = 1;

	private final String action;

	/**
	 * Create a new exception.
	 * @param message what happened and why
	 * @param action what the user should do about it
	 * @param cause the underlying failure, or {@code null}
	 */
	public MigrationsException(String message, String action, @Nullable Throwable cause) {
		super(message, cause);
		this.action = action;
	}

	/**
	 * Return what the user should do about this failure.
	 * @return the action, never {@code null}
	 */
	public String getAction() {
		return this.action;
	}

	@Override
	public int getExitCode() {
		return EXIT_CODE;
	}

}
