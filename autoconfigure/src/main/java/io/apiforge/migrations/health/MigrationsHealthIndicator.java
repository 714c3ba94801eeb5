package io.apiforge.migrations.health;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Reports whether the schema is at the version this application expects:
 * <ul>
 * <li>{@code UP}: up to date (or ahead, as during a rolling deployment, unless
 * {@code migrations.health.fail-when-ahead});</li>
 * <li>{@code OUT_OF_SERVICE}: migrations are pending, or the lifecycle has not run
 * yet;</li>
 * <li>{@code DOWN}: a migration failed, or the last lifecycle run did.</li>
 * </ul>
 * A check costs nothing while the status is fresh, and one query on the schema history
 * table once it is older than {@code migrations.status.refresh-interval}. It belongs in
 * the readiness group, never in liveness: a pod that is migrating must not be killed.
 *
 * @author apiforge
 */
public class MigrationsHealthIndicator implements HealthIndicator {

	private final MigrationStatusRefresher status;

	private final boolean failWhenAhead;

	/**
	 * Create an indicator.
	 * @param status the status, kept fresh
	 * @param failWhenAhead whether a database ahead of the application is {@code DOWN}
	 */
	public MigrationsHealthIndicator(MigrationStatusRefresher status, boolean failWhenAhead) {
		Assert.notNull(status, "'status' must not be null");
		this.status = status;
		this.failWhenAhead = failWhenAhead;
	}

	@Override
	public Health health() {
		MigrationStatus status = this.status.current();
		SchemaSnapshot schema = status.schema();
		MigrationRun lastRun = status.lastRun();
		Health.Builder health = new Health.Builder(status(schema, lastRun)).withDetail("state", schema.state().name())
			.withDetail("pending", schema.pending().size())
			.withDetail("failed", schema.failed().size());
		if (schema.currentVersion() != null) {
			health.withDetail("currentVersion", schema.currentVersion());
		}
		if (schema.expectedVersion() != null) {
			health.withDetail("expectedVersion", schema.expectedVersion());
		}
		if (lastRun != null) {
			health.withDetail("lastRun", lastRun.outcome().name());
		}
		if (status.lastBackup() != null) {
			health.withDetail("lastBackupAt", status.lastBackup().createdAt().toString());
		}
		return health.build();
	}

	private Status status(SchemaSnapshot schema, MigrationRun lastRun) {
		if (lastRun != null && lastRun.outcome() == RunOutcome.FAILED) {
			return Status.DOWN;
		}
		return switch (schema.state()) {
			case FAILED -> Status.DOWN;
			case AHEAD -> this.failWhenAhead ? Status.DOWN : Status.UP;
			case UP_TO_DATE -> Status.UP;
			case UNKNOWN, NOT_INITIALIZED, PENDING -> Status.OUT_OF_SERVICE;
		};
	}

}
