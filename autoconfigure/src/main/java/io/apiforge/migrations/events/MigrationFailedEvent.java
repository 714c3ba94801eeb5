package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a migration run failed (the lock lost, the backup, a migration) or was
 * refused before it changed anything (the run's outcome is then {@code REFUSED}: the lock
 * held by another instance past the timeout, the lint).
 *
 * @author apiforge
 */
public class MigrationFailedEvent extends MigrationRunEvent {

	private final MigrationsException cause;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the failed run: versions before and after, migrations executed before
	 * the failure, duration
	 * @param cause what went wrong
	 */
	public MigrationFailedEvent(Flyway flyway, MigrationRun run, MigrationsException cause) {
		super(flyway, run);
		this.cause = cause;
	}

	/**
	 * Return what went wrong.
	 * @return the failure, whose message and action a user can read
	 */
	@Override
	public MigrationsException getFailure() {
		return this.cause;
	}

	/**
	 * Return what went wrong.
	 * @return the failure
	 */
	public MigrationsException getCause() {
		return this.cause;
	}

}
