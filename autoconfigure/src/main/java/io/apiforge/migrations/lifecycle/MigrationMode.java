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
	 * Never migrate: report pending or failed migrations through the status and health.
	 * For application containers when a job does the migrating.
	 */
	VALIDATE,

	/**
	 * Run the lifecycle without starting the web server, then exit the JVM: with 0 on
	 * success, non-zero on failure. For Kubernetes jobs and init containers.
	 */
	MIGRATE_AND_EXIT

}
