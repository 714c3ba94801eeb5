package io.apiforge.migrations.lifecycle;

/**
 * What the application does with pending migrations when it starts.
 *
 * @author apiforge
 */
public enum MigrationMode {

	/**
	 * Inspect, lock, back up and migrate during start-up, then run the application.
	 */
	MIGRATE,

	/**
	 * Start the application (and its web server, so that probes answer) first, then
	 * inspect, lock, back up and migrate on a thread of its own: liveness stays up,
	 * readiness is out of service with the run's progress until it ends. A failure turns
	 * health down and, unless {@code migrations.background.exit-on-failure=false}, exits
	 * the JVM with 1. For deployments whose migrations outlast the probes' patience.
	 */
	BACKGROUND,

	/**
	 * Never migrate: report pending or failed migrations through the status and health.
	 * For application containers when a job does the migrating.
	 */
	VALIDATE,

	/**
	 * Run the lifecycle without starting the web server, then exit the JVM: with 0 on
	 * success, non-zero on failure. For Kubernetes jobs and init containers.
	 */
	MIGRATE_AND_EXIT,

	/**
	 * Roll back to {@code migrations.rollback.target} with undo scripts (lock, backup,
	 * one transaction per version), without starting the web server, then exit the JVM:
	 * with 0 on success, non-zero on failure. For a rollback job.
	 */
	ROLLBACK,

	/**
	 * Print what a migrate (or, with {@code migrations.rollback.target}, a rollback)
	 * would do, change nothing, and exit the JVM with 0.
	 */
	PLAN;

	/**
	 * Return whether this mode runs once and exits instead of starting the application.
	 * @return whether the JVM exits after the lifecycle
	 */
	public boolean isOneShot() {
		return this == MIGRATE_AND_EXIT || this == ROLLBACK || this == PLAN;
	}

}
