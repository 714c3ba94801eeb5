package io.apiforge.sample.user;

/**
 * A request to {@code /users} that cannot be served as sent; answered with 400 and the
 * message.
 *
 * @author apiforge
 */
class InvalidRequestException extends RuntimeException {

	InvalidRequestException(String message) {
		super(message);
	}

}
