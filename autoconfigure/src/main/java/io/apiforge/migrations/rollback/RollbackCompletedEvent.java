package io.apiforge.migrations.rollback;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.lifecycle.MigrationLifecycleEvent;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Published when a rollback undid its versions.
 *
 * @author apiforge
 */
public class RollbackCompletedEvent extends MigrationLifecycleEvent {

	private final MigrationRun run;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param run the rollback: versions before and after, versions undone, backup
	 */
	public RollbackCompletedEvent(Flyway flyway, MigrationRun run) {
		super(flyway);
		this.run = run;
	}

	/**
	 * Return the rollback.
	 * @return the run
	 */
	public MigrationRun getRun() {
		return this.run;
	}

}
