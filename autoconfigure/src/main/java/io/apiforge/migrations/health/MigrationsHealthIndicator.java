package io.apiforge.migrations.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.Assert;

import io.apiforge.migrations.status.BackfillProgress;
import io.apiforge.migrations.status.ContractStatus;
import io.apiforge.migrations.status.ContractStatusHolder;
import io.apiforge.migrations.status.DriftSummary;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.RunningOperation;
import io.apiforge.migrations.status.SchemaSnapshot;
import io.apiforge.migrations.status.SchemaState;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * Reports whether the schema is at the version this application expects:
 * <ul>
 * <li>{@code UP}: up to date (or ahead, as during a rolling deployment, unless
 * {@code migrations.health.fail-when-ahead});</li>
 * <li>{@code OUT_OF_SERVICE}: migrations are pending, the schema is below the version
 * this application expects (another instance rolled it back), the schema history table
 * vanished, or the lifecycle has not run yet;</li>
 * <li>{@code DOWN}: a migration is recorded as failed, or this application's last
 * migration or rollback failed and no later look at the schema found it where this
 * application expects it.</li>
 * </ul>
 * A refused request (a rollback that is not possible, a lock that was not free in time)
 * and a failed on-demand backup change nothing, so they leave health as it was.
 * A check costs nothing while the status is fresh, and one query on the schema history
 * table once it is older than {@code migrations.status.refresh-interval}, also while the
 * database cannot be read: a failed read waits for the next interval like a successful
 * one, and the details then say that the state is stale ({@code stale},
 * {@code refreshError}). While a run is in progress in this application (a migration in
 * {@code background} mode, an operator's request), the details carry it as
 * {@code running}: the operation, its phase, the step it applies, n of m, since when. It
 * belongs in
 * the readiness group, never in liveness: a pod that is migrating must not be killed.
 * <p>
 * The last drift check is a detail ({@code drift}: its status, the objects that differ
 * by severity, when it ran, the version), read from the status, never checked on the
 * probe's thread. Drift never changes the health's status: the application still
 * serves on a drifted schema.
 * <p>
 * With tenants, every tenant this application has listed counts too, the worst status
 * winning: a {@code FAILED} tenant is {@code DOWN} (like the application's own failed
 * run); one still {@code PENDING}, {@code MIGRATING} or {@code SKIPPED} is
 * {@code OUT_OF_SERVICE}; {@code MIGRATED} and {@code UP_TO_DATE} ones are {@code UP}.
 * Tenants not listed yet (in {@code validate} mode none are) do not count. The detail
 * {@code tenants} holds the number in each state, never one entry per tenant.
 * <p>
 * With contract migrations, the detail {@code contract} says whether one waits (and for
 * how many instances), was applied or failed; it never changes the status.
 *
 * @author apiforge
 */
public class MigrationsHealthIndicator implements HealthIndicator {

	private final MigrationStatusRefresher status;

	private final boolean failWhenAhead;

	private final @Nullable TenantStatuses tenants;

	private final @Nullable ContractStatusHolder contract;

	/**
	 * Create an indicator of the application's own schema.
	 * @param status the status, kept fresh
	 * @param failWhenAhead whether a database ahead of the application is {@code DOWN}
	 */
	public MigrationsHealthIndicator(MigrationStatusRefresher status, boolean failWhenAhead) {
		this(status, failWhenAhead, null);
	}

	/**
	 * Create an indicator of the application's own schema and its tenants.
	 * @param status the status, kept fresh
	 * @param failWhenAhead whether a database ahead of the application is {@code DOWN}
	 * @param tenants the tenants' statuses, or {@code null} without tenants
	 */
	public MigrationsHealthIndicator(MigrationStatusRefresher status, boolean failWhenAhead,
			@Nullable TenantStatuses tenants) {
		this(status, failWhenAhead, tenants, null);
	}

	/**
	 * Create an indicator of the application's own schema, its tenants and its contract
	 * migrations.
	 * @param status the status, kept fresh
	 * @param failWhenAhead whether a database ahead of the application is {@code DOWN}
	 * @param tenants the tenants' statuses, or {@code null} without tenants
	 * @param contract the contract migrations' status, or {@code null} without them
	 */
	public MigrationsHealthIndicator(MigrationStatusRefresher status, boolean failWhenAhead,
			@Nullable TenantStatuses tenants, @Nullable ContractStatusHolder contract) {
		Assert.notNull(status, "'status' must not be null");
		this.status = status;
		this.failWhenAhead = failWhenAhead;
		this.tenants = tenants;
		this.contract = contract;
	}

	@Override
	public Health health() {
		MigrationStatus status = this.status.current();
		SchemaSnapshot schema = status.schema();
		MigrationRun lastRun = status.lastRun();
		Map<TenantState, Integer> tenants = (this.tenants != null) ? this.tenants.counts() : null;
		Health.Builder health = new Health.Builder(worse(status(schema, lastRun), tenantsStatus(tenants)))
			.withDetail("state", schema.state().name())
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
			health.withDetail("lastRunOperation", lastRun.operation().name());
		}
		if (status.lastBackup() != null) {
			health.withDetail("lastBackupAt", status.lastBackup().createdAt().toString());
		}
		RunningOperation running = this.status.running();
		if (running != null) {
			health.withDetail("running", describe(running));
		}
		DriftSummary drift = this.status.drift();
		if (drift != null) {
			health.withDetail("drift", describe(drift));
		}
		if (status.refreshFailure() != null) {
			// The database could not be read: what is reported is the schema as last seen.
			health.withDetail("stale", true)
				.withDetail("inspectedAt", schema.inspectedAt().toString())
				.withDetail("refreshError", status.refreshFailure().error());
		}
		if (tenants != null) {
			health.withDetail("tenants", describe(tenants));
		}
		if (this.contract != null) {
			health.withDetail("contract", describe(this.contract.current()));
		}
		return health.build();
	}

	/**
	 * The contract migrations: a detail only, since waiting for older instances to go is
	 * the plan, not a fault, and a failed contract leaves the expand schema serving.
	 */
	private static Map<String, Object> describe(ContractStatus contract) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", contract.state().name());
		details.put("waiting", contract.waiting());
		if (contract.migration() != null) {
			details.put("migration", contract.migration());
		}
		if (contract.requiredVersion() != null) {
			details.put("requiredVersion", contract.requiredVersion());
		}
		if (!contract.blockers().isEmpty()) {
			details.put("blockers", contract.blockers().size());
		}
		details.put("checkedAt", contract.checkedAt().toString());
		return details;
	}

	private static Map<String, Integer> describe(Map<TenantState, Integer> tenants) {
		Map<String, Integer> details = new LinkedHashMap<>();
		tenants.forEach((state, count) -> details.put(state.name(), count));
		return details;
	}

	/**
	 * The tenants' status: the worst of theirs, {@code UP} when none is listed.
	 */
	private static Status tenantsStatus(@Nullable Map<TenantState, Integer> tenants) {
		if (tenants == null) {
			return Status.UP;
		}
		if (tenants.get(TenantState.FAILED) > 0) {
			return Status.DOWN;
		}
		boolean notThereYet = tenants.entrySet()
			.stream()
			.anyMatch((entry) -> !entry.getKey().isCurrent() && entry.getValue() > 0);
		return notThereYet ? Status.OUT_OF_SERVICE : Status.UP;
	}

	private static Status worse(Status one, Status other) {
		return (severity(other) > severity(one)) ? other : one;
	}

	private static int severity(Status status) {
		if (Status.DOWN.equals(status)) {
			return 2;
		}
		return Status.OUT_OF_SERVICE.equals(status) ? 1 : 0;
	}

	/**
	 * The run in progress, in the shape of the endpoint's {@code running}.
	 */
	private static Map<String, Object> describe(RunningOperation running) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("operation", running.operation().name());
		details.put("phase", running.phase().name());
		if (running.version() != null) {
			details.put("version", running.version());
		}
		if (running.description() != null) {
			details.put("description", running.description());
		}
		details.put("step", running.step());
		details.put("steps", running.steps());
		details.put("startedAt", running.startedAt().toString());
		details.put("elapsedMillis", Duration.between(running.startedAt(), Instant.now()).toMillis());
		BackfillProgress backfill = running.backfill();
		if (backfill != null) {
			Map<String, Object> progress = new LinkedHashMap<>();
			progress.put("table", backfill.table());
			progress.put("rowsScanned", backfill.rowsScanned());
			progress.put("rowsUpdated", backfill.rowsUpdated());
			progress.put("rowsEstimated", backfill.rowsEstimated());
			progress.put("rowsLeft", backfill.rowsLeft());
			progress.put("batches", backfill.batches());
			details.put("backfill", progress);
		}
		return details;
	}

	private static Map<String, Object> describe(DriftSummary drift) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("status", drift.status().name());
		details.put("objects", Map.of("schema", drift.schemaObjects(), "privileges", drift.privilegesObjects()));
		details.put("checkedAt", drift.checkedAt().toString());
		if (drift.version() != null) {
			details.put("version", drift.version());
		}
		return details;
	}

	private Status status(SchemaSnapshot schema, @Nullable MigrationRun lastRun) {
		if (lastRun != null && failedOnTheSchema(lastRun) && !supersededBy(schema, lastRun)) {
			return Status.DOWN;
		}
		if (isBelowExpected(schema) && schema.state() != SchemaState.FAILED) {
			return Status.OUT_OF_SERVICE;
		}
		return switch (schema.state()) {
			case FAILED -> Status.DOWN;
			case AHEAD -> this.failWhenAhead ? Status.DOWN : Status.UP;
			case UP_TO_DATE -> Status.UP;
			case UNKNOWN, NOT_INITIALIZED, PENDING, HISTORY_MISSING -> Status.OUT_OF_SERVICE;
		};
	}

	/**
	 * Whether the last run failed while changing the schema: a migration or a rollback
	 * that started its work. A refused run, a failed on-demand backup or a validation
	 * says nothing about the schema.
	 */
	private static boolean failedOnTheSchema(MigrationRun run) {
		return run.outcome() == RunOutcome.FAILED && run.operation().changesSchema();
	}

	/**
	 * Whether a look at the schema after the failed run finds it where this application
	 * expects it (another instance, or a later run, fixed it).
	 */
	private static boolean supersededBy(SchemaSnapshot schema, MigrationRun run) {
		return schema.inspectedAt().isAfter(run.finishedAt())
				&& (schema.state() == SchemaState.UP_TO_DATE || schema.state() == SchemaState.AHEAD);
	}

	private static boolean isBelowExpected(SchemaSnapshot schema) {
		if (schema.expectedVersion() == null) {
			return false;
		}
		if (schema.currentVersion() == null) {
			return true;
		}
		return MigrationVersion.fromVersion(schema.currentVersion())
			.compareTo(MigrationVersion.fromVersion(schema.expectedVersion())) < 0;
	}

}
