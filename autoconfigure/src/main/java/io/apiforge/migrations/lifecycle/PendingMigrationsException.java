package io.apiforge.migrations.lifecycle;

import io.apiforge.migrations.MigrationsException;

/**
 * Migrations are pending in {@code validate} mode with
 * {@code migrations.validate.fail-on-pending=true}.
 *
 * @author apiforge
 */
public class PendingMigrationsException extends MigrationsException {

	/**
	 * Create a new exception.
	 * @param message which migrations are pending
	 * @param action what to do about it
	 */
	public PendingMigrationsException(String message, String action) {
		super(message, action, null);
	}

}
