package io.apiforge.migrations.rollback;

import io.apiforge.migrations.InvalidRequestException;

/**
 * A rollback was refused before anything was touched: its target or its plan is not
 * possible. The message lists every problem.
 *
 * @author apiforge
 */
public class RollbackRefusedException extends InvalidRequestException {

	/**
	 * Create a new exception.
	 * @param message what is wrong with the request or the plan
	 * @param action what to do about it
	 */
	public RollbackRefusedException(String message, String action) {
		super(message, action);
	}

}
