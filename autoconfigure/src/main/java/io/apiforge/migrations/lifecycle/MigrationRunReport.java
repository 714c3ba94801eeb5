package io.apiforge.migrations.lifecycle;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Writes the one-paragraph log summary of a run: versions, migrations executed, backup,
 * lock wait, and on failure the cause and what to do.
 *
 * @author apiforge
 */
public final class MigrationRunReport {

	private MigrationRunReport() {
	}

	public static String describe(MigrationRun run, String history, SchemaSnapshot after) {
		StringBuilder report = new StringBuilder("Migrated ").append(history)
			.append(" from version ")
			.append(version(run.fromVersion()))
			.append(" to ")
			.append(version(run.toVersion()))
			.append(" in ")
			.append(DurationFormat.format(run.duration()))
			.append(". ");
		appendExecuted(report, run.executed());
		if (after.hasPending()) {
			report.append(" Still pending after the migrator ran: ")
				.append(labels(after.pending()))
				.append(".");
		}
		appendBackupAndLock(report, run);
		return report.toString();
	}

	public static String describeFailure(MigrationRun run, String history, @Nullable SchemaSnapshot after,
			MigrationsException failure) {
		StringBuilder report = new StringBuilder("Migration of ").append(history)
			.append((run.outcome() == RunOutcome.REFUSED) ? " REFUSED after " : " FAILED after ")
			.append(DurationFormat.format(run.duration()))
			.append(": ")
			.append(sentence(failure.getMessage()))
			.append(" The schema is at version ")
			.append(version((after != null) ? after.currentVersion() : run.fromVersion()))
			.append(" (it was at ")
			.append(version(run.fromVersion()))
			.append(" before this run). ");
		appendExecuted(report, run.executed());
		appendBackupAndLock(report, run);
		report.append(" Action: ").append(failure.getAction());
		return report.toString();
	}

	public static String describeValidation(SchemaSnapshot snapshot, String history) {
		StringBuilder report = new StringBuilder("Validated ").append(history)
			.append(" (migrations.mode=validate, nothing is migrated): schema at version ")
			.append(version(snapshot.currentVersion()))
			.append(", this application expects ")
			.append(version(snapshot.expectedVersion()))
			.append(", state ")
			.append(snapshot.state())
			.append(".");
		if (snapshot.hasPending()) {
			report.append(" Pending: ").append(labels(snapshot.pending())).append(".");
		}
		if (!snapshot.failed().isEmpty()) {
			report.append(" Failed: ").append(labels(snapshot.failed())).append(".");
		}
		return report.toString();
	}

	private static void appendExecuted(StringBuilder report, List<MigrationSummary> executed) {
		report.append("Executed ").append(executed.size()).append((executed.size() == 1) ? " migration" : " migrations");
		for (int i = 0; i < executed.size(); i++) {
			MigrationSummary migration = executed.get(i);
			report.append((i == 0) ? ": " : ", ").append(migration.label());
			if (migration.executionTime() != null) {
				report.append(" (").append(DurationFormat.format(migration.executionTime())).append(")");
			}
		}
		report.append(".");
	}

	private static void appendBackupAndLock(StringBuilder report, MigrationRun run) {
		BackupRecord backup = run.backup();
		if (backup != null) {
			report.append(" Backup: ")
				.append(backup.location())
				.append(" (")
				.append(backup.strategy())
				.append(", ")
				.append(DurationFormat.format(backup.duration()))
				.append(").");
		}
		else {
			report.append(" Backup: none taken.");
		}
		if (run.lockWait() != null) {
			report.append(" Waited ").append(DurationFormat.format(run.lockWait())).append(" for the migration lock.");
		}
	}

	/**
	 * Return the short labels of migrations, for a log line.
	 * @param migrations the migrations
	 * @return their labels, comma-separated
	 */
	public static String labels(List<MigrationSummary> migrations) {
		return migrations.stream().map(MigrationSummary::label).collect(Collectors.joining(", "));
	}

	/**
	 * Return a failure's message as a sentence of a log line: stripped, and ending with a
	 * full stop.
	 * @param message the message, or {@code null}
	 * @return the sentence
	 */
	public static String sentence(@Nullable String message) {
		String text = (message != null) ? message.strip() : "(no message)";
		return text.endsWith(".") ? text : text + ".";
	}

	private static String version(@Nullable String version) {
		return MigrationFailureDescriber.versionLabel(version);
	}

}
