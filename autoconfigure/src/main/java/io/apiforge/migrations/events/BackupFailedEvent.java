package io.apiforge.migrations.events;

import java.time.Duration;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.backup.BackupException;

/**
 * Published when a backup failed: the one before a migration or a rollback, or one an
 * operator asked for.
 *
 * @author apiforge
 */
public class BackupFailedEvent extends MigrationLifecycleEvent {

	private final BackupException cause;

	private final boolean migratingAnyway;

	private final Duration duration;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param cause what went wrong
	 * @param migratingAnyway whether the lifecycle migrates without a backup
	 * ({@code migrations.backup.on-failure=continue})
	 * @param duration how long the backup ran before it failed
	 */
	public BackupFailedEvent(Flyway flyway, BackupException cause, boolean migratingAnyway, Duration duration) {
		super(flyway);
		this.cause = cause;
		this.migratingAnyway = migratingAnyway;
		this.duration = duration;
	}

	/**
	 * Return how long the backup ran before it failed.
	 * @return the duration
	 */
	public Duration getDuration() {
		return this.duration;
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
