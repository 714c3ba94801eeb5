package io.apiforge.migrations.lock;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;

/**
 * The migration lock was lost while a run held it (its connection died or was
 * terminated), so another instance may be running: the run stops before its next step.
 *
 * @author apiforge
 */
public class MigrationLockLostException extends MigrationsException {

	/**
	 * Create a new exception.
	 * @param message what happened
	 * @param action what to do about it
	 * @param cause the error that revealed the loss, or {@code null}
	 */
	public MigrationLockLostException(String message, String action, @Nullable Throwable cause) {
		super(message, action, cause);
	}

}
