package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a rollback undid its versions.
 *
 * @author apiforge
 */
public class RollbackCompletedEvent extends MigrationRunEvent {

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the rollback: versions before and after, versions undone, backup
	 */
	public RollbackCompletedEvent(Flyway flyway, MigrationRun run) {
		super(flyway, run, null);
	}

}
