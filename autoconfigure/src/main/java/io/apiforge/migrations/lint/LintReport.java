package io.apiforge.migrations.lint;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the lint found in a set of migrations: the findings that count, the ones a
 * {@code -- migrations:allow} comment suppresses (with their reason), and which scripts
 * were read.
 *
 * @param findings the findings that are not suppressed, in script and line order
 * @param suppressed the suppressed findings, each with its reason
 * @param scripts the SQL scripts that were linted, in the order they run
 * @author apiforge
 */
public record LintReport(List<LintFinding> findings, List<LintFinding> suppressed, List<String> scripts) {

	/**
	 * Create a report.
	 * @param findings the findings that are not suppressed
	 * @param suppressed the suppressed findings
	 * @param scripts the SQL scripts that were linted
	 */
	public LintReport {
		findings = List.copyOf(findings);
		suppressed = List.copyOf(suppressed);
		scripts = List.copyOf(scripts);
	}

	/**
	 * Return a report of nothing linted.
	 * @return an empty report
	 */
	public static LintReport empty() {
		return new LintReport(List.of(), List.of(), List.of());
	}

	/**
	 * Return the findings that reach a threshold.
	 * @param failOn the threshold
	 * @return the findings at or above it, none for {@link LintFailOn#NONE}
	 */
	public List<LintFinding> reaching(LintFailOn failOn) {
		return this.findings.stream().filter((finding) -> failOn.isReachedBy(finding.severity())).toList();
	}

	/**
	 * Return the part of this report about the given scripts.
	 * @param scripts the scripts to keep
	 * @return a report with only their findings
	 */
	public LintReport onlyFor(Collection<String> scripts) {
		return new LintReport(this.findings.stream().filter((finding) -> scripts.contains(finding.script())).toList(),
				this.suppressed.stream().filter((finding) -> scripts.contains(finding.script())).toList(),
				this.scripts.stream().filter(scripts::contains).toList());
	}

	/**
	 * Return this report without the findings of the given rules, suppressed or not: the
	 * rules a run expects, such as the {@link LintRule#contractRules() contract rules} in
	 * a contract migration.
	 * @param expected the rules whose findings are left out
	 * @return a report without them
	 */
	public LintReport without(Set<LintRule> expected) {
		if (expected.isEmpty()) {
			return this;
		}
		Set<String> ids = expected.stream().map(LintRule::id).collect(Collectors.toSet());
		return new LintReport(this.findings.stream().filter((finding) -> !ids.contains(finding.rule())).toList(),
				this.suppressed.stream().filter((finding) -> !ids.contains(finding.rule())).toList(), this.scripts);
	}

}
