package io.apiforge.migrations;

/**
 * A request that cannot be done as asked (a rollback to a version that is not applied, a
 * plan with problems): refused before anything was touched. The endpoint answers it
 * with {@code 400 Bad Request}.
 *
 * @author apiforge
 */
public class InvalidRequestException extends MigrationsException {

	/**
	 * Create a new exception.
	 * @param message what is wrong with the request
	 * @param action what to do about it
	 */
	public InvalidRequestException(String message, String action) {
		super(message, action, null);
	}

}
