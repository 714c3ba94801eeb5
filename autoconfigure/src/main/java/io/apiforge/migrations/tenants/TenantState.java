package io.apiforge.migrations.tenants;

/**
 * Where a tenant stands, as this application last saw it.
 *
 * @author apiforge
 */
public enum TenantState {

	/**
	 * Listed, not run yet in this application.
	 */
	PENDING,

	/**
	 * Its run is in progress.
	 */
	MIGRATING,

	/**
	 * Its last run applied its pending migrations.
	 */
	MIGRATED,

	/**
	 * Its last run found nothing pending (or another instance migrated it meanwhile).
	 */
	UP_TO_DATE,

	/**
	 * Its last run failed or was refused; the error says why.
	 */
	FAILED,

	/**
	 * Not started: the fan-out stopped before it (a canary failed, or another tenant
	 * failed with {@code migrations.tenants.on-failure=stop}). Its schema is as it was.
	 */
	SKIPPED;

	/**
	 * Whether the tenant is where this application expects it.
	 * @return whether it is {@link #MIGRATED} or {@link #UP_TO_DATE}
	 */
	public boolean isCurrent() {
		return this == MIGRATED || this == UP_TO_DATE;
	}

}
