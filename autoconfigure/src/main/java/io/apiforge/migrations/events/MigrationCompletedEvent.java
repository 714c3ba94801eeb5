package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when pending migrations were applied.
 *
 * @author apiforge
 */
public class MigrationCompletedEvent extends MigrationRunEvent {

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the run: versions before and after, migrations executed, duration,
	 * backup
	 */
	public MigrationCompletedEvent(Flyway flyway, MigrationRun run) {
		super(flyway, run, null);
	}

}
