package io.apiforge.migrations.lint;

import java.util.List;

import io.apiforge.migrations.MigrationsException;

/**
 * Pending migrations have lint findings at or above {@code migrations.lint.fail-on}, so
 * the lifecycle stopped before it locked, backed up or migrated anything.
 *
 * @author apiforge
 */
public class LintFailedException extends MigrationsException {

	private final List<LintFinding> findings;

	/**
	 * Create a new exception.
	 * @param message which findings stopped the lifecycle
	 * @param action how to fix, suppress, or accept them
	 * @param findings the findings that stopped it
	 */
	public LintFailedException(String message, String action, List<LintFinding> findings) {
		super(message, action, null);
		this.findings = List.copyOf(findings);
	}

	/**
	 * Return the findings that stopped the lifecycle.
	 * @return the findings
	 */
	public List<LintFinding> getFindings() {
		return this.findings;
	}

}
