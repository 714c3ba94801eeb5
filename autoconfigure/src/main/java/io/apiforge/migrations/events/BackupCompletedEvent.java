package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * Published when the backup before a migration was taken.
 *
 * @author apiforge
 */
public class BackupCompletedEvent extends MigrationLifecycleEvent {

	private final BackupRecord backup;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param backup the backup taken
	 */
	public BackupCompletedEvent(Flyway flyway, BackupRecord backup) {
		super(flyway);
		this.backup = backup;
	}

	/**
	 * Return the backup taken.
	 * @return the backup
	 */
	public BackupRecord getBackup() {
		return this.backup;
	}

}
