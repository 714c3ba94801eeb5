package io.apiforge.migrations.tenants;

import java.util.List;

import org.springframework.util.Assert;

/**
 * How tenants are migrated: {@code migrations.tenants.*}.
 *
 * @param locations where the tenant migrations are, as Flyway locations (such as
 * {@code classpath:db/tenant}); apart from the application's own
 * @param parallelism how many tenants are migrated at once, at least 1
 * @param canary the names of the tenants migrated first; when one fails, no other is
 * @param onFailure what a failed tenant does to the rest of a fan-out
 * @author apiforge
 */
public record TenantMigrationSettings(List<String> locations, int parallelism, List<String> canary,
		TenantFailurePolicy onFailure) {

	public TenantMigrationSettings {
		Assert.notEmpty(locations, "'locations' must not be empty");
		Assert.isTrue(parallelism >= 1, "'parallelism' must be at least 1");
		Assert.notNull(canary, "'canary' must not be null");
		Assert.notNull(onFailure, "'onFailure' must not be null");
		locations = List.copyOf(locations);
		canary = List.copyOf(canary);
	}

}
