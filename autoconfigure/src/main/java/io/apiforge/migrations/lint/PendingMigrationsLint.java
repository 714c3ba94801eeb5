package io.apiforge.migrations.lint;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.status.MigrationSummary;

/**
 * The lint of pending migrations the lifecycle runs before it locks: logs each finding
 * with its script, line and recipe, keeps the report for the {@code migrations}
 * endpoint, and stops the lifecycle with a {@link LintFailedException} when findings
 * reach {@code migrations.lint.fail-on}.
 * <p>
 * The lint fails closed: a statement it fails on is a {@link LintRule#LINT_ERROR
 * lint-error} finding, which stops the lifecycle like any error, and a lint that cannot
 * run at all (the catalog cannot be read) stops it too, unless {@code fail-on} is
 * {@code none}. Then it logs why and lets the lifecycle go on.
 *
 * @author apiforge
 */
public class PendingMigrationsLint {

	private static final Log logger = LogFactory.getLog(PendingMigrationsLint.class);

	private final MigrationLinter linter;

	private final LintFailOn failOn;

	private final Set<LintRule> expected;

	private final AtomicReference<@Nullable LintReport> lastReport = new AtomicReference<>();

	/**
	 * Create the start-up lint.
	 * @param linter the linter
	 * @param failOn the lowest severity that stops the lifecycle
	 */
	public PendingMigrationsLint(MigrationLinter linter, LintFailOn failOn) {
		this(linter, failOn, Set.of());
	}

	/**
	 * Create a lint that expects some rules: their findings are neither reported nor
	 * need a suppression. The contract migrations' lint expects the
	 * {@link LintRule#contractRules() contract rules}.
	 * @param linter the linter
	 * @param failOn the lowest severity that stops the lifecycle
	 * @param expected the rules whose findings are left out
	 */
	public PendingMigrationsLint(MigrationLinter linter, LintFailOn failOn, Set<LintRule> expected) {
		Assert.notNull(linter, "'linter' must not be null");
		Assert.notNull(failOn, "'failOn' must not be null");
		Assert.notNull(expected, "'expected' must not be null");
		this.linter = linter;
		this.failOn = failOn;
		this.expected = Set.copyOf(expected);
	}

	/**
	 * Lint the pending migrations, log the findings and keep the report.
	 * @param flyway the Flyway instance
	 * @param pending the pending migrations, in the order they run
	 * @param enforce whether findings at or above the threshold stop the lifecycle
	 * ({@code false} in {@code validate} mode, which migrates nothing)
	 * @return the report
	 * @throws LintFailedException when {@code enforce} is set and findings reach the
	 * threshold, or when {@code enforce} is set, the threshold is not {@code none}, and
	 * the lint could not run
	 */
	public LintReport check(Flyway flyway, List<MigrationSummary> pending, boolean enforce) {
		LintReport report;
		try {
			report = this.linter.lintPending(flyway, pending, ExistingTables.IN_DATABASE).without(this.expected);
		}
		catch (RuntimeException ex) {
			List<String> scripts = pending.stream()
				.filter((migration) -> MigrationLinter.SQL_MIGRATION.equals(migration.type()))
				.map(MigrationSummary::script)
				.toList();
			if (enforce && this.failOn != LintFailOn.NONE) {
				throw notRun(scripts, ex);
			}
			logger.warn("Migration lint could not run, so " + scripts + " are not checked: " + ScriptLinter.describe(ex)
					+ ". Going on without it (" + (enforce ? "migrations.lint.fail-on=none" : "validate mode only reports")
					+ "); logging.level.io.apiforge.migrations.lint=debug logs the stack trace.");
			logger.debug("Migration lint could not run", ex);
			return LintReport.empty();
		}
		this.lastReport.set(report);
		List<LintFinding> failing = report.reaching(this.failOn);
		log(report, enforce && !failing.isEmpty());
		if (enforce && !failing.isEmpty()) {
			throw failure(failing);
		}
		return report;
	}

	/**
	 * Return the report of the last check.
	 * @return the report, or {@code null} before the first check
	 */
	public @Nullable LintReport lastReport() {
		return this.lastReport.get();
	}

	/**
	 * Return the lowest severity that stops the lifecycle.
	 * @return the threshold
	 */
	public LintFailOn getFailOn() {
		return this.failOn;
	}

	private void log(LintReport report, boolean stopping) {
		for (LintFinding finding : report.findings()) {
			logger.warn("Migration lint: " + finding.script() + " line " + finding.line() + " [" + finding.severity().id()
					+ "] " + finding.rule() + ": " + finding.message() + " Safe way: " + finding.recipe()
					+ " If it is safe here, write on the line before it: -- migrations:allow " + finding.rule()
					+ " <reason>");
		}
		for (LintFinding finding : report.suppressed()) {
			logger.info("Migration lint: " + finding.script() + " line " + finding.line() + " allows " + finding.rule()
					+ ": " + finding.suppressedBecause());
		}
		if (report.scripts().isEmpty()) {
			logger.debug("Migration lint: no pending SQL migration (Java migrations are not linted)");
			return;
		}
		String linted = report.scripts().size() + " pending SQL migration" + ((report.scripts().size() == 1) ? "" : "s");
		if (report.findings().isEmpty()) {
			logger.info("Migration lint: no findings in " + linted
					+ (report.suppressed().isEmpty() ? "." : " (" + report.suppressed().size() + " allowed)."));
			return;
		}
		String threshold = "migrations.lint.fail-on=" + this.failOn.name().toLowerCase(Locale.ROOT);
		logger.warn("Migration lint: " + count(report.findings()) + " in " + linted
				+ (stopping ? "; " + threshold + " stops the lifecycle before it locks, backs up or migrates."
						: "; reported only (" + threshold + ")."));
	}

	private LintFailedException notRun(List<String> scripts, RuntimeException ex) {
		String threshold = this.failOn.name().toLowerCase(Locale.ROOT);
		return new LintFailedException("Migration lint could not run (" + ScriptLinter.describe(ex)
				+ "), so the pending migrations " + scripts + " are not checked, and with migrations.lint.fail-on="
				+ threshold + " nothing was locked, backed up or migrated.",
				"If the error names the database (a query that failed, a connection refused), fix that and start again. "
						+ "Otherwise it is a bug of the lint: report it (logging.level.io.apiforge.migrations.lint=debug "
						+ "logs the stack trace). To go on meanwhile, set migrations.lint.fail-on=none (the lint only logs) "
						+ "or migrations.lint.enabled=false (no lint). See docs/lint.md.",
				List.of(), ex);
	}

	private LintFailedException failure(List<LintFinding> failing) {
		String threshold = this.failOn.name().toLowerCase(Locale.ROOT);
		StringBuilder message = new StringBuilder("Migration lint found ").append(count(failing))
			.append(" at or above migrations.lint.fail-on=")
			.append(threshold)
			.append(" in the pending migrations, so nothing was locked, backed up or migrated:");
		for (LintFinding finding : failing) {
			message.append("\n  - ").append(finding);
		}
		long lintErrors = failing.stream().filter((finding) -> LintRule.LINT_ERROR.id().equals(finding.rule())).count();
		if (lintErrors > 0) {
			message.append("\n")
				.append((lintErrors == 1) ? "One of them is" : lintErrors + " of them are")
				.append(" a lint-error: the lint itself failed, so it could not check the statement.");
		}
		Map<String, String> recipes = new LinkedHashMap<>();
		failing.forEach((finding) -> recipes.putIfAbsent(finding.rule(), finding.recipe()));
		StringBuilder action = new StringBuilder("Make each migration safe:");
		recipes.forEach((rule, recipe) -> action.append("\n  - ").append(rule).append(": ").append(recipe));
		action.append("\nWhere a statement is safe for your data, allow it with a comment on the line before it: "
				+ "-- migrations:allow <rule-id> <reason>. Or make migrations.lint.fail-on less strict (error stops on errors only, none only logs). "
				+ "Every rule is explained in docs/lint.md.");
		return new LintFailedException(message.toString(), action.toString(), failing);
	}

	private static String count(List<LintFinding> findings) {
		Map<LintSeverity, Long> bySeverity = findings.stream()
			.collect(Collectors.groupingBy(LintFinding::severity, () -> new EnumMap<>(LintSeverity.class),
					Collectors.counting()));
		return findings.size() + ((findings.size() == 1) ? " finding (" : " findings (")
				+ bySeverity.entrySet()
					.stream()
					.map((entry) -> entry.getValue() + " " + entry.getKey().id() + ((entry.getValue() == 1) ? "" : "s"))
					.collect(Collectors.joining(", "))
				+ ")";
	}

}
