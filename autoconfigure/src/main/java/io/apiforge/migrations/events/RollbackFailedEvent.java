package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a rollback was refused or failed part-way.
 *
 * @author apiforge
 */
public class RollbackFailedEvent extends MigrationRunEvent {

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the run that failed or was refused: versions before and after, what it
	 * did before the failure, duration
	 * @param cause what went wrong
	 */
	public RollbackFailedEvent(Flyway flyway, MigrationRun run, MigrationsException cause) {
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
