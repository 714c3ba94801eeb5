package io.apiforge.migrations.lifecycle;

import java.util.List;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.status.MigrationSummary;

/**
 * A check of the pending migrations that the lifecycle runs right after it inspects the
 * schema, before it locks, backs up or migrates: the migration lint, for one.
 *
 * @author apiforge
 */
@FunctionalInterface
public interface PendingMigrationsCheck {

	/**
	 * A check that checks nothing.
	 */
	PendingMigrationsCheck NONE = (flyway, pending, enforce) -> {
	};

	/**
	 * Check the pending migrations. An implementation must not change the database.
	 * @param flyway the Flyway instance
	 * @param pending the pending migrations, in the order they run; never empty
	 * @param enforce whether a failed check must stop the lifecycle; {@code false} in
	 * {@code validate} mode, which migrates nothing and only reports
	 * @throws io.apiforge.migrations.MigrationsException when {@code enforce} is set and
	 * the check fails: the lifecycle stops before it locks, backs up or migrates
	 */
	void check(Flyway flyway, List<MigrationSummary> pending, boolean enforce);

}
