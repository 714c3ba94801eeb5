package io.apiforge.migrations.rollback;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.lifecycle.MigrationLifecycleEvent;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a rollback was refused or failed part-way.
 *
 * @author apiforge
 */
public class RollbackFailedEvent extends MigrationLifecycleEvent {

	private final MigrationRun run;

	private final MigrationsException cause;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the failed rollback, with the versions undone before the failure
	 * @param cause what went wrong
	 */
	public RollbackFailedEvent(Flyway flyway, MigrationRun run, MigrationsException cause) {
		super(flyway);
		this.run = run;
		this.cause = cause;
	}

	/**
	 * Return the failed rollback.
	 * @return the run
	 */
	public MigrationRun getRun() {
		return this.run;
	}

	/**
	 * Return what went wrong.
	 * @return the failure
	 */
	public MigrationsException getCause() {
		return this.cause;
	}

}
