package io.apiforge.migrations.scripts;

import io.apiforge.migrations.MigrationsException;

/**
 * A script uses a Flyway placeholder that has no value, so Flyway would refuse to run it
 * (and so does the starter, before anything changes).
 *
 * @author apiforge
 */
public class UnknownPlaceholderException extends MigrationsException {

	private final String script;

	private final String placeholder;

	/**
	 * Create a new exception.
	 * @param message which script, which line, which placeholder
	 * @param action the property to set, or the fix in the script
	 * @param script the script
	 * @param placeholder the placeholder's name, without prefix and suffix
	 */
	public UnknownPlaceholderException(String message, String action, String script, String placeholder) {
		super(message, action, null);
		this.script = script;
		this.placeholder = placeholder;
	}

	/**
	 * Return the script that uses the placeholder.
	 * @return the script
	 */
	public String getScript() {
		return this.script;
	}

	/**
	 * Return the placeholder's name, without prefix and suffix.
	 * @return the name
	 */
	public String getPlaceholder() {
		return this.placeholder;
	}

}
