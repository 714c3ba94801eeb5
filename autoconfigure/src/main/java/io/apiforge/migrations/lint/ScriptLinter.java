package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Lints the statements of one script: applies the rules to each, then the
 * {@code -- migrations:allow} comments before it, and reports the comments that are not
 * valid suppressions.
 *
 * @author apiforge
 */
final class ScriptLinter {

	private static final Log logger = LogFactory.getLog(ScriptLinter.class);

	private ScriptLinter() {
	}

	/**
	 * Lint a script.
	 * @param statements its statements
	 * @param context what the rules know about it, updated as they read it
	 * @param rules what the rules object to in one statement
	 * @return the findings, suppressed ones included
	 */
	static List<LintFinding> lint(List<SqlStatement> statements, ScriptContext context, StatementCheck rules) {
		List<LintFinding> findings = new ArrayList<>();
		for (SqlStatement statement : statements) {
			for (Suppression suppression : statement.suppressions()) {
				if (!suppression.isValid()) {
					findings.add(invalid(context.script(), statement, suppression));
				}
			}
			for (Candidate candidate : candidates(statement, context, rules)) {
				findings.add(finding(context.script(), statement, candidate.rule(), candidate.message(),
						reason(statement, candidate.rule())));
			}
		}
		return findings;
	}

	/**
	 * Return what the rules object to in a statement, the statement's own problems first
	 * and {@code missing-lock-timeout} (a problem of the script) last. When the rules
	 * fail on it, that is a {@link LintRule#LINT_ERROR lint-error}: never silently
	 * passed over, so that {@code fail-on} fails closed, and the other statements are
	 * still linted.
	 */
	private static List<Candidate> candidates(SqlStatement statement, ScriptContext context, StatementCheck rules) {
		try {
			return rules.check(statement, context)
				.stream()
				.sorted(Comparator.comparing((candidate) -> candidate.rule() == LintRule.MISSING_LOCK_TIMEOUT))
				.toList();
		}
		catch (RuntimeException ex) {
			logger.debug("The lint failed on " + context.script() + " line " + statement.line() + ": "
					+ statement.shortText(), ex);
			return List.of(new Candidate(LintRule.LINT_ERROR, "The lint failed on this statement (" + describe(ex)
					+ "), so it did not check it: " + statement.shortText()));
		}
	}

	/**
	 * Describe an error of the lint in a few words, for a finding.
	 * @param ex the error
	 * @return its class and message
	 */
	static String describe(Throwable ex) {
		return ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	private static @Nullable String reason(SqlStatement statement, LintRule rule) {
		return statement.suppressions()
			.stream()
			.filter((suppression) -> suppression.isValid() && rule.id().equals(suppression.rule()))
			.map(Suppression::reason)
			.findFirst()
			.orElse(null);
	}

	private static LintFinding invalid(String script, SqlStatement statement, Suppression suppression) {
		String problem = (suppression.rule() == null) ? "names no rule"
				: LintRule.ofId(suppression.rule()).isEmpty() ? "names an unknown rule '" + suppression.rule() + "'"
						: "gives no reason for allowing " + suppression.rule();
		LintRule rule = LintRule.INVALID_SUPPRESSION;
		return new LintFinding(rule.id(), rule.severity(), script, suppression.line(),
				"The -- " + Suppression.MARKER + " comment on line " + suppression.line() + " " + problem
						+ ", so it suppresses nothing.",
				rule.recipe(), statement.shortText(), null);
	}

	private static LintFinding finding(String script, SqlStatement statement, LintRule rule, String message,
			@Nullable String reason) {
		return new LintFinding(rule.id(), rule.severity(), script, statement.line(), message, rule.recipe(),
				statement.shortText(), reason);
	}

	/**
	 * What the rules object to in one statement.
	 */
	@FunctionalInterface
	interface StatementCheck {

		/**
		 * Check a statement.
		 * @param statement the statement
		 * @param context what the rules know about the script so far, updated with the
		 * statement's effect
		 * @return what the rules object to
		 */
		List<Candidate> check(SqlStatement statement, ScriptContext context);

	}

}
