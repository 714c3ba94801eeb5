package io.apiforge.migrations.tenants;

/**
 * What a fan-out does when a tenant fails: {@code migrations.tenants.on-failure}. A
 * canary's failure stops it whatever this says.
 *
 * @author apiforge
 */
public enum TenantFailurePolicy {

	/**
	 * No new tenant starts; those in progress finish, those not started are
	 * {@link TenantState#SKIPPED}.
	 */
	STOP,

	/**
	 * Every other tenant still runs.
	 */
	CONTINUE

}
