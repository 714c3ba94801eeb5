package io.apiforge.migrations.lifecycle;

import org.flywaydb.core.Flyway;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.status.MigrationRun;

/**
 * What an operator may ask for outside start-up (through the endpoint's write
 * operations): run the whole lifecycle, or take a backup now.
 *
 * @author apiforge
 */
public class MigrationOperations {

	private final Flyway flyway;

	private final LifecycleFlywayMigrationStrategy strategy;

	private final MigrationLifecycle lifecycle;

	/**
	 * Create the operations.
	 * @param flyway the Flyway instance
	 * @param strategy the lifecycle's strategy, which knows the user's own migrator
	 * @param lifecycle the lifecycle
	 */
	public MigrationOperations(Flyway flyway, LifecycleFlywayMigrationStrategy strategy, MigrationLifecycle lifecycle) {
		Assert.notNull(flyway, "'flyway' must not be null");
		Assert.notNull(strategy, "'strategy' must not be null");
		Assert.notNull(lifecycle, "'lifecycle' must not be null");
		this.flyway = flyway;
		this.strategy = strategy;
		this.lifecycle = lifecycle;
	}

	/**
	 * Run the lifecycle: inspect, lock, back up, migrate, publish.
	 * @return the run
	 * @throws io.apiforge.migrations.MigrationsException when it failed
	 */
	public MigrationRun migrate() {
		return this.strategy.migrateNow(this.flyway);
	}

	/**
	 * Take a backup now, inside the migration lock.
	 * @return the backup
	 * @throws io.apiforge.migrations.backup.BackupException when it failed
	 */
	public BackupRecord backup() {
		return this.lifecycle.backup(this.flyway);
	}

	/**
	 * Return the Flyway instance the operations run on.
	 * @return the Flyway instance
	 */
	public Flyway getFlyway() {
		return this.flyway;
	}

}
