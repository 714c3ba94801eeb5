package io.apiforge.migrations.lifecycle;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.backup.BackupException;

/**
 * Published when the backup before a migration failed.
 *
 * @author apiforge
 */
public class BackupFailedEvent extends MigrationLifecycleEvent {

	private final BackupException cause;

	private final boolean migratingAnyway;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param cause what went wrong
	 * @param migratingAnyway whether the lifecycle migrates without a backup
	 * ({@code migrations.backup.on-failure=continue})
	 */
	public BackupFailedEvent(Flyway flyway, BackupException cause, boolean migratingAnyway) {
		super(flyway);
		this.cause = cause;
		this.migratingAnyway = migratingAnyway;
	}

	/**
	 * Return what went wrong.
	 * @return the failure
	 */
	public BackupException getCause() {
		return this.cause;
	}

	/**
	 * Return whether the lifecycle migrates without a backup.
	 * @return whether migrations run anyway
	 */
	public boolean isMigratingAnyway() {
		return this.migratingAnyway;
	}

}
