package io.apiforge.migrations.plan;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.lint.LintFinding;

/**
 * What a migrate or a rollback would do, without doing it.
 *
 * @param kind {@code migrate} or {@code rollback}
 * @param history the schema history table
 * @param currentVersion the schema's version now
 * @param targetVersion the version the run leads to ({@code null}: no version left)
 * @param backup whether a backup would be taken, how and where
 * @param steps what would run, in order
 * @param problems why it cannot run; empty when it can
 * @author apiforge
 */
public record MigrationPlan(String kind, String history, @Nullable String currentVersion,
		@Nullable String targetVersion, BackupDecision backup, List<Step> steps, List<String> problems) {

	/**
	 * Whether and how a backup would be taken.
	 *
	 * @param taken whether one would be taken
	 * @param strategy how and where ({@link io.apiforge.migrations.backup.BackupStrategy#describe()})
	 * @param reason why, or why not
	 */
	public record BackupDecision(boolean taken, String strategy, String reason) {
	}

	/**
	 * One step: a pending migration, or the undo of an applied one.
	 *
	 * @param version its version ({@code null} for a repeatable migration)
	 * @param description its description
	 * @param script its script or class (for an undo step: the undo, or the migration's
	 * own script when it has none)
	 * @param type Flyway's type ({@code SQL}, {@code JDBC}) or {@code UNDO}
	 * @param checksum its checksum, when it has one
	 * @param sql the SQL that would run, for SQL scripts
	 * @param transactional whether it runs in a transaction ({@code null} when unknown)
	 * @param estimatedMillis an estimate from history, when there is one
	 * @param undo what undoes it (for a migrate) or what undoes it now (for a rollback)
	 * @param lint what the migration lint says about it (suppressed findings included,
	 * with their reason); empty for undo steps and when the lint is off
	 */
	public record Step(@Nullable String version, String description, String script, String type,
			@Nullable Integer checksum, @Nullable String sql, @Nullable Boolean transactional,
			@Nullable Long estimatedMillis, @Nullable String undo, List<LintFinding> lint) {
	}

	/**
	 * Render the plan for a log or a terminal.
	 * @return a few lines of text
	 */
	public String describe() {
		StringBuilder text = new StringBuilder();
		text.append("Plan (").append(this.kind).append(") for ").append(this.history).append(": version ")
			.append(label(this.currentVersion)).append(" -> ").append(label(this.targetVersion)).append(", ")
			.append(this.steps.size()).append((this.steps.size() == 1) ? " step" : " steps").append(".\n");
		text.append("  Backup: ").append(this.backup.taken() ? "yes, " + this.backup.strategy() : "no")
			.append(" (").append(this.backup.reason()).append(")\n");
		int index = 1;
		for (Step step : this.steps) {
			text.append("  ").append(index++).append(". ")
				.append((step.version() != null) ? "V" + step.version() : "R")
				.append(" \"").append(step.description()).append("\" ").append(step.type().toLowerCase(Locale.ROOT))
				.append(' ').append(step.script());
			if (step.transactional() != null) {
				text.append(step.transactional() ? ", in a transaction" : ", OUTSIDE a transaction");
			}
			if (step.estimatedMillis() != null) {
				text.append(", ~").append(step.estimatedMillis()).append(" ms");
			}
			if (this.kind.equals("migrate")) {
				text.append(", undo: ").append((step.undo() != null) ? step.undo() : "NONE");
			}
			text.append('\n');
			for (LintFinding finding : step.lint()) {
				text.append("     lint: ").append(finding).append('\n');
			}
		}
		if (!this.problems.isEmpty()) {
			text.append("  Cannot run:\n");
			for (String problem : this.problems) {
				text.append("  - ").append(problem).append('\n');
			}
		}
		return text.toString().stripTrailing();
	}

	private static String label(@Nullable String version) {
		return (version != null) ? version : "<none>";
	}

}
