package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a rollback was refused or failed part-way.
 *
 * @author apiforge
 */
public class RollbackFailedEvent extends MigrationRunEvent {

	private final MigrationsException cause;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the failed rollback, with the versions undone before the failure
	 * @param cause what went wrong
	 */
	public RollbackFailedEvent(Flyway flyway, MigrationRun run, MigrationsException cause) {
		super(flyway, run);
		this.cause = cause;
	}

	/**
	 * Return what went wrong.
	 * @return the failure
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
