package io.apiforge.sample.user;

/**
 * A user with the same email address exists already (the email is unique); answered with
 * 409 and the message.
 *
 * @author apiforge
 */
public class DuplicateEmailException extends RuntimeException {

	DuplicateEmailException(String email, Throwable cause) {
		super("A user with email " + email + " already exists. Use another email address.", cause);
	}

}
