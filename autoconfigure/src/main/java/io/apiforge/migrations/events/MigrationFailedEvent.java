package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import org.springframework.util.Assert;

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

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the run that failed or was refused: versions before and after, what it
	 * did before the failure, duration
	 * @param cause what went wrong
	 */
	public MigrationFailedEvent(Flyway flyway, MigrationRun run, MigrationsException cause) {
		super(flyway, run, cause);
		Assert.notNull(cause, "'cause' must not be null");
	}

	@Override
	public MigrationsException getFailure() {
		MigrationsException failure = super.getFailure();
		Assert.state(failure != null, "A failed run has a failure");
		return failure;
	}

	/**
	 * Return what went wrong.
	 * @return the failure, whose message and action a user can read
	 */
	public MigrationsException getCause() {
		return getFailure();
	}

}
