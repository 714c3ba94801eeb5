package io.apiforge.migrations.lifecycle;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when pending migrations were applied.
 *
 * @author apiforge
 */
public class MigrationCompletedEvent extends MigrationLifecycleEvent {

	private final MigrationRun run;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the run: versions before and after, migrations executed, duration,
	 * backup
	 */
	public MigrationCompletedEvent(Flyway flyway, MigrationRun run) {
		super(flyway);
		this.run = run;
	}

	/**
	 * Return the run that completed.
	 * @return the run
	 */
	public MigrationRun getRun() {
		return this.run;
	}

}
