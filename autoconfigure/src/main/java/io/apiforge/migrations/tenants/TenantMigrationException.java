package io.apiforge.migrations.tenants;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;

/**
 * Tenants that could not be migrated: the message names each failed tenant with its
 * error.
 *
 * @author apiforge
 */
public class TenantMigrationException extends MigrationsException {

	private final List<TenantStatus> failed;

	/**
	 * Create an exception.
	 * @param message what failed, naming the tenants
	 * @param action what to do
	 * @param failed the statuses of the tenants that failed
	 * @param cause the cause, or {@code null}
	 */
	public TenantMigrationException(String message, String action, List<TenantStatus> failed,
			@Nullable Throwable cause) {
		super(message, action, cause);
		this.failed = List.copyOf(failed);
	}

	/**
	 * Return the tenants that failed.
	 * @return their statuses
	 */
	public List<TenantStatus> getFailed() {
		return this.failed;
	}

}
