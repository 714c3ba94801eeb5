package io.apiforge.migrations.tenants;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * One tenant's status: its state, its versions and its last run, small enough to keep
 * for thousands of tenants.
 *
 * @param tenant the tenant's name
 * @param state where it stands
 * @param currentVersion the schema's version as last seen, or {@code null} when nothing
 * is applied or it was not read yet
 * @param expectedVersion the version the tenant migrations lead to, or {@code null} when
 * not read yet
 * @param pending how many migrations were pending as last seen
 * @param executed how many migrations its last run applied
 * @param startedAt when its last run started, or {@code null} before the first
 * @param finishedAt when its last run ended, or {@code null} while none ended
 * @param lockWait how long its last run waited for the tenant's lock, or {@code null}
 * @param backup the backup its last run took, or {@code null}
 * @param error why its last run failed or it was skipped, or {@code null}
 * @author apiforge
 */
public record TenantStatus(String tenant, TenantState state, @Nullable String currentVersion,
		@Nullable String expectedVersion, int pending, int executed, @Nullable Instant startedAt,
		@Nullable Instant finishedAt, @Nullable Duration lockWait, @Nullable BackupRecord backup,
		@Nullable String error) {

	/**
	 * Return the status of a tenant listed but not run yet.
	 * @param tenant the tenant's name
	 * @return the status
	 */
	public static TenantStatus pending(String tenant) {
		return new TenantStatus(tenant, TenantState.PENDING, null, null, 0, 0, null, null, null, null, null);
	}

	/**
	 * Return this status with its run started.
	 * @param at when it started
	 * @return the status
	 */
	public TenantStatus migrating(Instant at) {
		return new TenantStatus(this.tenant, TenantState.MIGRATING, this.currentVersion, this.expectedVersion,
				this.pending, 0, at, null, null, null, null);
	}

	/**
	 * Return this status as skipped.
	 * @param why why it was not started
	 * @param at when the fan-out decided it
	 * @return the status
	 */
	public TenantStatus skipped(String why, Instant at) {
		return new TenantStatus(this.tenant, TenantState.SKIPPED, this.currentVersion, this.expectedVersion,
				this.pending, 0, at, at, null, null, why);
	}

	/**
	 * Return how long the last run took.
	 * @return the duration, or {@code null} while none ended
	 */
	public @Nullable Duration duration() {
		return (this.startedAt != null && this.finishedAt != null) ? Duration.between(this.startedAt, this.finishedAt)
				: null;
	}

}
