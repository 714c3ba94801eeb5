package io.apiforge.migrations.operations;

import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.DatabaseContents;
import io.apiforge.migrations.backup.OnBackupFailure;
import io.apiforge.migrations.events.BackupCompletedEvent;
import io.apiforge.migrations.events.BackupFailedEvent;
import io.apiforge.migrations.lifecycle.MigrationRunReport;

/**
 * The backup step of a run that changes the schema (a migration or a rollback): skipped
 * for an empty database, taken with the {@link BackupStrategy}, published as an event,
 * and on failure either stops the run or, with {@link OnBackupFailure#CONTINUE}, lets it
 * go on with a warning.
 *
 * @author apiforge
 */
final class BackupStep {

	private static final Log logger = LogFactory.getLog(BackupStep.class);

	private final BackupStrategy strategy;

	private final OnBackupFailure onFailure;

	private final ApplicationEventPublisher events;

	/**
	 * Create the step.
	 * @param strategy takes the backup
	 * @param onFailure what a failure does to the run
	 * @param events receives the backup events
	 */
	BackupStep(BackupStrategy strategy, OnBackupFailure onFailure, ApplicationEventPublisher events) {
		Assert.notNull(strategy, "'strategy' must not be null");
		Assert.notNull(onFailure, "'onFailure' must not be null");
		Assert.notNull(events, "'events' must not be null");
		this.strategy = strategy;
		this.onFailure = onFailure;
		this.events = events;
	}

	/**
	 * Take the backup a run needs.
	 * @param flyway the Flyway instance (the events' source)
	 * @param request what to back up
	 * @return the backup, or {@code null} when none was taken (empty database, a
	 * strategy that takes none, or a failure the run continues after)
	 * @throws BackupException when the backup failed and the run must stop
	 */
	@Nullable BackupRecord take(Flyway flyway, BackupRequest request) {
		if (isEmpty(request)) {
			logger.info("No backup taken: the database is empty (no schema history table, no table in "
					+ (this.strategy.backsUpWholeDatabase() ? "any schema" : DatabaseContents.describe(request.schemas()))
					+ "), so there is nothing to lose.");
			return null;
		}
		long start = System.nanoTime();
		try {
			BackupRecord backup = this.strategy.backup(request);
			if (backup != null) {
				this.events.publishEvent(new BackupCompletedEvent(flyway, backup));
			}
			return backup;
		}
		catch (RuntimeException ex) {
			BackupException failure = (ex instanceof BackupException backupException) ? backupException
					: new BackupException("The backup failed: " + ex,
							"Read the cause below; nothing was changed. To go on without a backup, set migrations.backup.on-failure=continue.",
							ex);
			boolean goingOn = this.onFailure == OnBackupFailure.CONTINUE;
			this.events.publishEvent(
					new BackupFailedEvent(flyway, failure, goingOn, Duration.ofNanos(System.nanoTime() - start)));
			if (!goingOn) {
				throw failure;
			}
			logger.warn("Migrating WITHOUT a backup because migrations.backup.on-failure=continue. The backup failed: "
					+ failure.getMessage());
			return null;
		}
	}

	/**
	 * Check at start-up, quickly, that what backups need is installed: a failure stops
	 * the start-up, unless {@link OnBackupFailure#CONTINUE} makes it a warning.
	 * @throws BackupException when backups could not be taken and the run would stop
	 */
	void checkInstalled() {
		try {
			this.strategy.checkInstalled();
		}
		catch (RuntimeException ex) {
			stopOrWarn(ex);
		}
	}

	/**
	 * Check that backups can be taken, and say how they will be: a failure stops the
	 * start-up, unless {@link OnBackupFailure#CONTINUE} makes it a warning.
	 * @param dataSource the database
	 * @throws BackupException when backups could not be taken and the run would stop
	 */
	void check(DataSource dataSource) {
		RuntimeException failure = failureOfCheck(dataSource);
		if (failure != null) {
			stopOrWarn(failure);
		}
	}

	/**
	 * Check that backups can be taken when nothing needs one now (nothing was pending at
	 * start-up), and say how they will be: a failure is a warning, since it stops nothing
	 * yet; the next run that needs a backup fails before it changes anything.
	 * @param dataSource the database
	 */
	void checkForLater(DataSource dataSource) {
		RuntimeException failure = failureOfCheck(dataSource);
		if (failure != null) {
			BackupException described = describe(failure);
			logger.warn("Backups will fail: nothing was pending at start-up, so nothing needed one, but the next "
					+ ((this.onFailure == OnBackupFailure.CONTINUE)
							? "migration or rollback will run WITHOUT a backup (migrations.backup.on-failure=continue)"
							: "migration or rollback will stop before it changes anything")
					+ ". " + MigrationRunReport.sentence(described.getMessage()) + " Action: " + described.getAction());
		}
	}

	/**
	 * Run the strategy's check and, when it passes, say how backups will be taken.
	 * @return what the check threw, or {@code null} when it passed
	 */
	private @Nullable RuntimeException failureOfCheck(DataSource dataSource) {
		try {
			this.strategy.check(dataSource);
		}
		catch (RuntimeException ex) {
			return ex;
		}
		logger.info("Backups before migrations and rollbacks: " + this.strategy.describe() + ".");
		return null;
	}

	private void stopOrWarn(RuntimeException ex) {
		BackupException failure = describe(ex);
		if (this.onFailure != OnBackupFailure.CONTINUE) {
			throw failure;
		}
		logger.warn("Backups will fail, and migrations.backup.on-failure=continue lets migrations run without them: "
				+ MigrationRunReport.sentence(failure.getMessage()) + " Action: " + failure.getAction());
	}

	private static BackupException describe(RuntimeException ex) {
		return (ex instanceof BackupException backupException) ? backupException
				: new BackupException("The backup strategy cannot back up this database: " + ex,
						"Read the cause below. To go on without backups, set migrations.backup.on-failure=continue.", ex);
	}

	private boolean isEmpty(BackupRequest request) {
		try {
			return DatabaseContents.isEmpty(request.dataSource(), request.schemas(),
					this.strategy.backsUpWholeDatabase());
		}
		catch (SQLException ex) {
			logger.debug("Could not tell whether the database is empty; backing it up", ex);
			return false;
		}
	}

}
