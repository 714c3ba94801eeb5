package io.apiforge.migrations.status;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.jspecify.annotations.Nullable;

/**
 * What Flyway's validation would say of the migrations {@code info()} reported, read off
 * the same {@link MigrationInfo} objects (no second classpath scan): the reasons its
 * {@code migrate()} would refuse to run.
 *
 * @author apiforge
 */
final class FlywayValidation {

	private FlywayValidation() {
	}

	/**
	 * Say why Flyway's validation would refuse a migration.
	 * @param migration the migration
	 * @param state its state, already asked (Flyway works it out anew at every call)
	 * @param ignored the problems Flyway is configured to ignore
	 * @return the reason, or {@code null} when it would accept it or ignores its problem
	 */
	static @Nullable String problem(MigrationInfo migration, MigrationState state, ValidatePattern[] ignored) {
		String problem = problem(migration, state);
		return (problem != null && !isIgnored(migration, state, ignored)) ? problem : null;
	}

	private static @Nullable String problem(MigrationInfo migration, MigrationState state) {
		if (state.isFailed()) {
			return "Detected failed migration to " + label(migration)
					+ ": repair it (undo what it left, then Flyway's repair) before migrating again.";
		}
		if (state == MigrationState.IGNORED) {
			return "Detected resolved migration not applied to database: " + label(migration)
					+ " is below the current version (set spring.flyway.out-of-order=true to apply it, or ignore it with spring.flyway.ignore-migration-patterns=*:ignored).";
		}
		if (state == MigrationState.MISSING_SUCCESS) {
			return "Detected applied migration not resolved locally: " + label(migration)
					+ " is in the schema history but not among this application's migrations (restore the script, or ignore it with spring.flyway.ignore-migration-patterns=*:missing).";
		}
		if (state.isApplied() && state.isResolved() && migration.isVersioned()) {
			if (!migration.isChecksumMatching()) {
				return "Migration checksum mismatch for " + label(migration) + ": applied " + migration.getAppliedChecksum()
						+ ", resolved locally " + migration.getResolvedChecksum()
						+ " (an applied script was edited: restore it, or run Flyway's repair if the change is intended).";
			}
			if (!migration.isDescriptionMatching()) {
				return "Migration description mismatch for " + label(migration) + ": applied \"" + migration.getAppliedDescription()
						+ "\", resolved locally \"" + migration.getResolvedDescription() + "\".";
			}
			if (!migration.isTypeMatching()) {
				return "Migration type mismatch for " + label(migration) + ": applied " + migration.getAppliedType()
						+ ", resolved locally " + migration.getResolvedType() + ".";
			}
		}
		return null;
	}

	private static String label(MigrationInfo migration) {
		String name = (migration.getVersion() != null) ? "version " + migration.getVersion() : "repeatable migration";
		return name + " (" + migration.getScript() + ")";
	}

	private static boolean isIgnored(MigrationInfo migration, MigrationState state, ValidatePattern[] ignored) {
		for (ValidatePattern pattern : ignored) {
			if (pattern.matchesMigration(migration.isVersioned(), state)) {
				return true;
			}
		}
		return false;
	}

}
