package io.apiforge.migrations.lock;

import io.apiforge.migrations.MigrationsException;

/**
 * The migration lock was held by another instance for longer than the configured
 * timeout.
 *
 * @author apiforge
 */
public class MigrationLockTimeoutException extends MigrationsException {

	/**
	 * Create a new exception.
	 * @param message what happened, including who holds the lock where known
	 * @param action what to do about it
	 */
	public MigrationLockTimeoutException(String message, String action) {
		super(message, action, null);
	}

}
