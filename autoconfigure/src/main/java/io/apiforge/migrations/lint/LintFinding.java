package io.apiforge.migrations.lint;

import org.jspecify.annotations.Nullable;

/**
 * One statement of a migration that a {@link LintRule} objects to: where it is, why it is
 * a problem, and how to do it safely. A record, so that tests can assert on it with
 * AssertJ's {@code extracting(LintFinding::rule)} and its kin.
 *
 * @param rule the rule's id, such as {@code create-index-without-concurrently}
 * @param severity how bad it is
 * @param script the migration's script, such as {@code V5__index_orders.sql}
 * @param line the line of the statement in the script (1-based)
 * @param message what is wrong with this statement, naming the table and column
 * @param recipe how to get the same result safely
 * @param statement the statement, on one line and shortened
 * @param suppressedBecause the reason given in a {@code -- migrations:allow} comment, or
 * {@code null} when the finding is not suppressed
 * @author apiforge
 */
public record LintFinding(String rule, LintSeverity severity, String script, int line, String message, String recipe,
		String statement, @Nullable String suppressedBecause) {

	/**
	 * Return whether a {@code -- migrations:allow} comment suppresses this finding.
	 * @return whether it is suppressed
	 */
	public boolean isSuppressed() {
		return this.suppressedBecause != null;
	}

	/**
	 * Return this finding on one line, as logs and assertion failures show it.
	 * @return {@code script:line [severity] rule: message}
	 */
	@Override
	public String toString() {
		return this.script + ":" + this.line + " [" + this.severity.id() + "] " + this.rule + ": " + this.message
				+ ((this.suppressedBecause != null) ? " (allowed: " + this.suppressedBecause + ")" : "");
	}

}
