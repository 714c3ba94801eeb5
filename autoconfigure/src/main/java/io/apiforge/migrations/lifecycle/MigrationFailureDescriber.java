package io.apiforge.migrations.lifecycle;

import java.sql.SQLException;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.flyway.FlywayInternals;
import io.apiforge.migrations.flyway.FlywayInternals.FailedMigration;

/**
 * Turns whatever a migration threw into a {@link MigrationsException} a user can act on:
 * the script, the line and the database's own words, and what to do next.
 *
 * @author apiforge
 */
public final class MigrationFailureDescriber {

	private MigrationFailureDescriber() {
	}

	/**
	 * Describe a failure of the migrate step.
	 * @param failure what the migration threw
	 * @param fromVersion the version the schema was at when the run started
	 * @return the failure to report
	 */
	public static MigrationsException describe(Throwable failure, @Nullable String fromVersion) {
		if (failure instanceof MigrationsException migrationsException) {
			return migrationsException;
		}
		FailedMigration failedMigration = FlywayInternals.failedMigration(failure);
		if (failedMigration != null) {
			return describeMigrateFailure(failedMigration, failure);
		}
		FlywayValidateException validateFailure = find(failure, FlywayValidateException.class);
		if (validateFailure != null) {
			return new MigrationFailedException(
					"Flyway refused to migrate because the applied migrations do not match the application's: "
							+ firstLines(validateFailure.getMessage()),
					"If an applied script was edited by mistake, restore it; if the change is intended, run Flyway's repair to realign the checksums. "
							+ "A migration missing from the application can be ignored with spring.flyway.ignore-migration-patterns.",
					null, -1, null, failure);
		}
		if (failure instanceof FlywayException) {
			return new MigrationFailedException("Flyway failed: " + firstLines(failure.getMessage()),
					"Read Flyway's message and the cause below; the schema is still at version "
							+ versionLabel(fromVersion) + " unless Flyway says otherwise.",
					null, -1, null, failure);
		}
		return new MigrationsException("The migration failed: " + failure,
				"Read the cause below. The schema stays at version " + versionLabel(fromVersion)
						+ " for every migration PostgreSQL rolled back.",
				failure);
	}

	private static MigrationsException describeMigrateFailure(FailedMigration failedMigration, Throwable failure) {
		String script = failedMigration.migration().getScript();
		int line = failedMigration.lineNumber();
		SQLException sqlException = find(failedMigration.exception(), SQLException.class);
		String databaseError = (sqlException != null) ? firstLine(sqlException.getMessage())
				: firstLine(failedMigration.exception().getMessage());
		String sqlState = (sqlException != null) ? sqlException.getSQLState() : failedMigration.sqlState();
		StringBuilder message = new StringBuilder("Migration ").append(script).append(" failed");
		if (line > 0) {
			message.append(" at line ").append(line);
		}
		message.append(": ").append(databaseError);
		if (sqlState != null) {
			message.append(" (SQL state ").append(sqlState).append(")");
		}
		message.append(". ");
		String action;
		if (failedMigration.executableInTransaction()) {
			message.append("PostgreSQL rolled this migration back: none of its changes were kept.");
			action = "Fix " + script + ((line > 0) ? " (line " + line + ")" : "")
					+ " and start the application again; the schema history needs no repair.";
		}
		else {
			message.append("It ran outside a transaction, so statements before the failing one may have been kept.");
			action = "Check the schema for what " + script
					+ " applied before the failing statement and undo it by hand, fix the script, then start the application again.";
		}
		return new MigrationFailedException(message.toString(), action, script, line, sqlState, failure);
	}

	private static <T extends Throwable> @Nullable T find(Throwable failure, Class<T> type) {
		Throwable candidate = failure;
		while (candidate != null) {
			if (type.isInstance(candidate)) {
				return type.cast(candidate);
			}
			candidate = (candidate.getCause() != candidate) ? candidate.getCause() : null;
		}
		return null;
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "(no message)";
		}
		String trimmed = message.strip();
		int newline = trimmed.indexOf('\n');
		return (newline >= 0) ? trimmed.substring(0, newline).strip() : trimmed;
	}

	private static String firstLines(@Nullable String message) {
		if (message == null) {
			return "(no message)";
		}
		String[] lines = message.strip().split("\\R");
		StringBuilder result = new StringBuilder();
		for (int i = 0; i < Math.min(lines.length, 4); i++) {
			if (!lines[i].isBlank() && !lines[i].startsWith("---")) {
				result.append((result.length() > 0) ? " " : "").append(lines[i].strip());
			}
		}
		return result.toString();
	}

	public static String versionLabel(@Nullable String version) {
		return (version != null) ? version : "<none>";
	}

}
