package io.apiforge.migrations.status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

	static List<String> problems(MigrationInfo[] all, ValidatePattern[] ignored) {
		List<String> problems = new ArrayList<>();
		for (MigrationInfo migration : all) {
			String problem = problem(migration);
			if (problem != null && !isIgnored(migration, ignored)) {
				problems.add(problem);
			}
		}
		return List.copyOf(problems);
	}

	private static @Nullable String problem(MigrationInfo migration) {
		MigrationState state = migration.getState();
		String name = (migration.getVersion() != null) ? "version " + migration.getVersion() : "repeatable migration";
		String label = name + " (" + migration.getScript() + ")";
		if (state.isFailed()) {
			return "Detected failed migration to " + label
					+ ": repair it (undo what it left, then Flyway's repair) before migrating again.";
		}
		if (state == MigrationState.IGNORED) {
			return "Detected resolved migration not applied to database: " + label
					+ " is below the current version (set spring.flyway.out-of-order=true to apply it, or ignore it with spring.flyway.ignore-migration-patterns=*:ignored).";
		}
		if (state == MigrationState.MISSING_SUCCESS) {
			return "Detected applied migration not resolved locally: " + label
					+ " is in the schema history but not among this application's migrations (restore the script, or ignore it with spring.flyway.ignore-migration-patterns=*:missing).";
		}
		if (state.isApplied() && state.isResolved() && migration.isVersioned()) {
			if (!migration.isChecksumMatching()) {
				return "Migration checksum mismatch for " + label + ": applied " + migration.getAppliedChecksum()
						+ ", resolved locally " + migration.getResolvedChecksum()
						+ " (an applied script was edited: restore it, or run Flyway's repair if the change is intended).";
			}
			if (!migration.isDescriptionMatching()) {
				return "Migration description mismatch for " + label + ": applied \"" + migration.getAppliedDescription()
						+ "\", resolved locally \"" + migration.getResolvedDescription() + "\".";
			}
			if (!migration.isTypeMatching()) {
				return "Migration type mismatch for " + label + ": applied " + migration.getAppliedType()
						+ ", resolved locally " + migration.getResolvedType() + ".";
			}
		}
		return null;
	}

	private static boolean isIgnored(MigrationInfo migration, ValidatePattern[] ignored) {
		return Arrays.stream(ignored)
			.anyMatch((pattern) -> pattern.matchesMigration(migration.isVersioned(), migration.getState()));
	}

}
