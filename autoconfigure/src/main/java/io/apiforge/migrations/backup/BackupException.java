package io.apiforge.migrations.backup;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;

/**
 * A backup could not be taken, so no migration runs.
 *
 * @author apiforge
 */
public class BackupException extends MigrationsException {

	/**
	 * Create a new exception.
	 * @param message what failed and why
	 * @param action what to do about it
	 * @param cause the underlying failure, or {@code null}
	 */
	public BackupException(String message, String action, @Nullable Throwable cause) {
		super(message, action, cause);
	}

}
