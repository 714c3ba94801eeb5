package io.apiforge.migrations.operations;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.util.Assert;

import io.apiforge.migrations.lifecycle.AfterStartup;
import io.apiforge.migrations.lifecycle.MigrationMode;
import io.apiforge.migrations.rollback.RollbackRefusedException;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * The {@link FlywayMigrationStrategy} through which Spring Boot's Flyway initializer runs
 * at start-up: it checks what the operations need, then runs the operation that
 * {@code migrations.mode} names. A user's own strategy keeps working: it becomes the
 * migrate step, wrapped by the inspection, the lock and the backup. In
 * {@link MigrationMode#BACKGROUND background} mode it only checks and inspects, and
 * hands the run to the {@link BackgroundMigration}. With {@link TenantMigrations tenants},
 * the modes that migrate migrate them after the application's own schema.
 * <p>
 * In the {@code migrate} modes, whether the backup's tools fit the server is checked
 * only once migrations are found pending, before the lock; with nothing pending, the
 * check is left for once the application is ready (it listens for that) and can only
 * log.
 *
 * @author apiforge
 */
public class LifecycleFlywayMigrationStrategy
		implements FlywayMigrationStrategy, SmartApplicationListener, DisposableBean {

	/** The thread of the backup's check when nothing was pending at start-up. */
	public static final String BACKUP_CHECK_THREAD_NAME = "migrations-backup-check";

	/** How long closing the application waits for the backup's check still running. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(LifecycleFlywayMigrationStrategy.class);

	private final AfterStartup backupCheckForLater = new AfterStartup(BACKUP_CHECK_THREAD_NAME);

	private final MigrationOperations operations;

	private final MigrationMode mode;

	private final boolean failOnPending;

	private final @Nullable String rollbackTarget;

	private final @Nullable BackgroundMigration background;

	private final @Nullable TenantMigrations tenants;

	/**
	 * Create a strategy.
	 * @param operations the operations
	 * @param mode what to do at start-up
	 * @param failOnPending whether pending migrations fail start-up in
	 * {@link MigrationMode#VALIDATE validate} mode
	 * @param rollbackTarget the target of {@link MigrationMode#ROLLBACK} (required there)
	 * and {@link MigrationMode#PLAN} (a rollback plan when set, a migrate plan otherwise)
	 */
	public LifecycleFlywayMigrationStrategy(MigrationOperations operations, MigrationMode mode, boolean failOnPending,
			@Nullable String rollbackTarget) {
		this(operations, mode, failOnPending, rollbackTarget, null);
	}

	/**
	 * Create a strategy.
	 * @param operations the operations
	 * @param mode what to do at start-up
	 * @param failOnPending whether pending migrations fail start-up in
	 * {@link MigrationMode#VALIDATE validate} mode
	 * @param rollbackTarget the target of {@link MigrationMode#ROLLBACK} (required there)
	 * and {@link MigrationMode#PLAN} (a rollback plan when set, a migrate plan otherwise)
	 * @param background the run of {@link MigrationMode#BACKGROUND} (required there)
	 */
	public LifecycleFlywayMigrationStrategy(MigrationOperations operations, MigrationMode mode, boolean failOnPending,
			@Nullable String rollbackTarget, @Nullable BackgroundMigration background) {
		this(operations, mode, failOnPending, rollbackTarget, background, null);
	}

	/**
	 * Create a strategy.
	 * @param operations the operations
	 * @param mode what to do at start-up
	 * @param failOnPending whether pending migrations fail start-up in
	 * {@link MigrationMode#VALIDATE validate} mode
	 * @param rollbackTarget the target of {@link MigrationMode#ROLLBACK} (required there)
	 * and {@link MigrationMode#PLAN} (a rollback plan when set, a migrate plan otherwise)
	 * @param background the run of {@link MigrationMode#BACKGROUND} (required there)
	 * @param tenants the tenants migrated after the application's own schema in the modes
	 * that migrate, or {@code null} when there are none
	 */
	public LifecycleFlywayMigrationStrategy(MigrationOperations operations, MigrationMode mode, boolean failOnPending,
			@Nullable String rollbackTarget, @Nullable BackgroundMigration background,
			@Nullable TenantMigrations tenants) {
		Assert.notNull(operations, "'operations' must not be null");
		Assert.notNull(mode, "'mode' must not be null");
		Assert.isTrue(mode != MigrationMode.BACKGROUND || background != null,
				"'background' must not be null in background mode");
		this.operations = operations;
		this.mode = mode;
		this.failOnPending = failOnPending;
		this.rollbackTarget = (rollbackTarget != null && !rollbackTarget.isBlank()) ? rollbackTarget : null;
		this.background = background;
		this.tenants = tenants;
	}

	@Override
	public void migrate(Flyway flyway) {
		switch (this.mode) {
			case VALIDATE -> this.operations.validate(flyway, this.failOnPending);
			case PLAN -> logger.info(this.operations.plan(flyway, this.rollbackTarget).describe());
			case ROLLBACK -> {
				this.operations.checkPrerequisites(flyway);
				this.operations.rollback(flyway, requireTarget());
			}
			case MIGRATE, MIGRATE_AND_EXIT -> {
				this.operations.checkInstalled(flyway);
				if (this.tenants != null) {
					this.tenants.checkPrerequisites();
				}
				PrerequisiteCheck backupCheck = new PrerequisiteCheck(() -> this.operations.checkBackup(flyway));
				MigrationRun run;
				try {
					run = this.operations.migrate(flyway, backupCheck);
				}
				catch (RuntimeException ex) {
					if (backupCheck.isStarted()) {
						// A set-up that cannot work is said first, as when it was checked first.
						backupCheck.await();
					}
					throw ex;
				}
				if (backupCheck.isAwaited() || this.tenants != null) {
					// The tenants' runs back up with the same tools.
					backupCheck.await();
				}
				else {
					// Nothing was pending. A check started on a guess (no history table, no
					// migration shipped) is not waited for: it may only warn.
					checkBackupForLater(flyway);
				}
				if (run.outcome() == RunOutcome.UP_TO_DATE) {
					// A migration checks for drift under its lock; with nothing to migrate,
					// the check runs once here. An application that keeps running need not
					// wait for one that can only log.
					this.operations.checkDriftAtStartup(this.mode == MigrationMode.MIGRATE);
				}
				if (this.tenants != null) {
					this.tenants.migrateOnStartUp();
				}
			}
			case BACKGROUND -> scheduleInBackground(flyway);
		}
	}

	/**
	 * Check the backup's tools against the server when nothing needed a backup on this
	 * start-up: a failure can only be logged, so an application that keeps running
	 * checks once it is ready ({@link AfterStartup}), on a thread of its own; one that
	 * exits after the run checks now.
	 */
	private void checkBackupForLater(Flyway flyway) {
		if (this.mode == MigrationMode.MIGRATE) {
			this.backupCheckForLater.schedule(() -> this.operations.checkBackupForLater(flyway));
		}
		else {
			this.operations.checkBackupForLater(flyway);
		}
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return AfterStartup.supportsEventType(eventType);
	}

	/**
	 * Start the backup's check left for later once the application is ready.
	 * @param event a {@link org.springframework.context.event.ContextRefreshedEvent} or
	 * an {@link org.springframework.boot.context.event.ApplicationReadyEvent}
	 */
	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		this.backupCheckForLater.onApplicationEvent(event);
	}

	/**
	 * Wait for the backup's check still running, so that it does not read a database the
	 * application is closing.
	 * @throws InterruptedException when interrupted while waiting
	 */
	@Override
	public void destroy() throws InterruptedException {
		this.backupCheckForLater.awaitEnd(CLOSE_WAIT);
	}

	/**
	 * Check now what must stop the start-up (what the run will need), record where the
	 * schema stands (so that health reports the pending migrations, not an unknown
	 * state), and leave the run to start once the application is ready.
	 */
	private void scheduleInBackground(Flyway flyway) {
		Assert.state(this.background != null, "background mode needs a BackgroundMigration");
		this.operations.checkPrerequisites(flyway);
		if (this.tenants != null) {
			this.tenants.checkPrerequisites();
		}
		SchemaSnapshot schema = this.operations.inspect(flyway);
		logger.info("migrations.mode=background: " + schema.pending().size()
				+ " migration(s) pending; they are applied once the application is ready, and the migrations health "
				+ "contributor (readiness) is not UP until they are.");
		this.background.schedule(flyway, this.tenants);
	}

	private String requireTarget() {
		if (this.rollbackTarget == null) {
			throw new RollbackRefusedException("migrations.mode=rollback needs a target, and none is set",
					"Set migrations.rollback.target to the version to roll back to (or 'base'); "
							+ "migrations.mode=plan with the same target shows what it would do.");
		}
		return this.rollbackTarget;
	}

}
