package io.apiforge.migrations.lifecycle;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a run of the lifecycle failed: the lock, the backup or a migration.
 *
 * @author apiforge
 */
public class MigrationFailedEvent extends MigrationLifecycleEvent {

	private final MigrationRun run;

	private final MigrationsException cause;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the failed run: versions before and after, migrations executed before
	 * the failure, duration
	 * @param cause what went wrong
	 */
	public MigrationFailedEvent(Flyway flyway, MigrationRun run, MigrationsException cause) {
		super(flyway);
		this.run = run;
		this.cause = cause;
	}

	/**
	 * Return the run that failed.
	 * @return the run
	 */
	public MigrationRun getRun() {
		return this.run;
	}

	/**
	 * Return what went wrong.
	 * @return the failure, whose message and action a user can read
	 */
	public MigrationsException getCause() {
		return this.cause;
	}

}
