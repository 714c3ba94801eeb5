package io.apiforge.migrations.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.operations.LifecycleFlywayMigrationStrategy;

/**
 * Finds the user's own {@link FlywayMigrationStrategy} bean, which the migrate operation
 * wraps: at most one besides the starter's.
 *
 * @author apiforge
 */
final class UserMigrationStrategy {

	private UserMigrationStrategy() {
	}

	static @Nullable FlywayMigrationStrategy find(ObjectProvider<FlywayMigrationStrategy> strategies) {
		List<FlywayMigrationStrategy> candidates = strategies.orderedStream()
			.filter((strategy) -> !(strategy instanceof LifecycleFlywayMigrationStrategy))
			.toList();
		if (candidates.size() > 1) {
			throw new MigrationsException(
					"Found " + candidates.size() + " FlywayMigrationStrategy beans ("
							+ candidates.stream().map((c) -> c.getClass().getName()).collect(Collectors.joining(", "))
							+ "); the migration lifecycle can wrap only one.",
					"Keep a single FlywayMigrationStrategy bean, or combine them into one.", null);
		}
		return candidates.isEmpty() ? null : candidates.get(0);
	}

}
