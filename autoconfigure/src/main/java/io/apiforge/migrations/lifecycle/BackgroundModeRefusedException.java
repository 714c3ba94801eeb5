package io.apiforge.migrations.lifecycle;

import io.apiforge.migrations.MigrationsException;

/**
 * {@code migrations.mode=background} is refused because something else needs the
 * migrated schema while the application starts, before the background run has migrated
 * it: JPA that validates or generates the schema at start-up, or Spring Boot's SQL
 * initialization scripts, which Boot runs after Flyway.
 *
 * @author apiforge
 */
public class BackgroundModeRefusedException extends MigrationsException {

	/**
	 * Create a new exception.
	 * @param message what needs the schema at start-up, and which property says so
	 * @param action what to set instead
	 */
	public BackgroundModeRefusedException(String message, String action) {
		super(message, action, null);
	}

}
