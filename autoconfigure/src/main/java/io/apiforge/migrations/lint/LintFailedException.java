package io.apiforge.migrations.lint;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;

/**
 * Pending migrations have lint findings at or above {@code migrations.lint.fail-on} (a
 * {@code lint-error}, where the lint itself failed on a statement, among them), or the
 * lint could not run at all while {@code fail-on} is not {@code none}, so the lifecycle
 * stopped before it locked, backed up or migrated anything.
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
		this(message, action, findings, null);
	}

	/**
	 * Create a new exception.
	 * @param message which findings stopped the lifecycle, or why the lint could not run
	 * @param action how to fix, suppress, or accept them
	 * @param findings the findings that stopped it; empty when the lint could not run
	 * @param cause the error of a lint that could not run, or {@code null}
	 */
	public LintFailedException(String message, String action, List<LintFinding> findings, @Nullable Throwable cause) {
		super(message, action, cause);
		this.findings = List.copyOf(findings);
	}

	/**
	 * Return the findings that stopped the lifecycle.
	 * @return the findings; empty when the lint could not run at all
	 */
	public List<LintFinding> getFindings() {
		return this.findings;
	}

}
