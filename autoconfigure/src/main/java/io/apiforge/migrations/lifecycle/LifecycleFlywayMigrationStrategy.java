package io.apiforge.migrations.lifecycle;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.util.Assert;

import io.apiforge.migrations.status.MigrationRun;

/**
 * The {@link FlywayMigrationStrategy} through which Spring Boot's Flyway initializer runs
 * the {@link MigrationLifecycle}. A user's own strategy keeps working: it becomes the
 * migrate step of the lifecycle, wrapped by the inspection, the lock and the backup.
 *
 * @author apiforge
 */
public class LifecycleFlywayMigrationStrategy implements FlywayMigrationStrategy {

	private final MigrationLifecycle lifecycle;

	private final MigrationMode mode;

	private final boolean failOnPending;

	private final Supplier<@Nullable FlywayMigrationStrategy> userStrategy;

	private final Map<MigrationMode, Consumer<Flyway>> modeActions;

	/**
	 * Create a strategy.
	 * @param lifecycle the lifecycle to run
	 * @param mode what to do with pending migrations
	 * @param failOnPending whether pending migrations fail start-up in
	 * {@link MigrationMode#VALIDATE validate} mode
	 * @param userStrategy supplies the user's own strategy, or {@code null} when there is
	 * none; asked before the lifecycle starts, so that a refusal comes before any lock or
	 * backup
	 * @param modeActions what runs at start-up instead of the lifecycle in the modes that
	 * are not about migrating, such as {@link MigrationMode#ROLLBACK} and
	 * {@link MigrationMode#PLAN}
	 */
	public LifecycleFlywayMigrationStrategy(MigrationLifecycle lifecycle, MigrationMode mode, boolean failOnPending,
			Supplier<@Nullable FlywayMigrationStrategy> userStrategy, Map<MigrationMode, Consumer<Flyway>> modeActions) {
		Assert.notNull(lifecycle, "'lifecycle' must not be null");
		Assert.notNull(mode, "'mode' must not be null");
		Assert.notNull(userStrategy, "'userStrategy' must not be null");
		this.lifecycle = lifecycle;
		this.mode = mode;
		this.failOnPending = failOnPending;
		this.userStrategy = userStrategy;
		this.modeActions = Map.copyOf(modeActions);
	}

	@Override
	public void migrate(Flyway flyway) {
		if (this.mode == MigrationMode.VALIDATE) {
			this.lifecycle.validate(flyway, this.failOnPending);
			return;
		}
		Consumer<Flyway> action = this.modeActions.get(this.mode);
		if (action != null) {
			action.accept(flyway);
			return;
		}
		migrateNow(flyway);
	}

	/**
	 * Run the whole lifecycle whatever the mode, as an operator's request does.
	 * @param flyway the Flyway instance
	 * @return the run
	 */
	public MigrationRun migrateNow(Flyway flyway) {
		FlywayMigrationStrategy strategy = this.userStrategy.get();
		Consumer<Flyway> migrator = (strategy != null) ? strategy::migrate : Flyway::migrate;
		return this.lifecycle.migrate(flyway, migrator);
	}

}
