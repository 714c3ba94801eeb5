package io.apiforge.migrations.lint;

/**
 * The lowest {@link LintSeverity} that stops the migration lifecycle before it locks,
 * backs up or migrates ({@code migrations.lint.fail-on}).
 *
 * @author apiforge
 */
public enum LintFailOn {

	/**
	 * Never stop: findings are logged and shown by the endpoint. The default.
	 */
	NONE,

	/**
	 * Stop on any finding.
	 */
	WARNING,

	/**
	 * Stop on findings of severity {@link LintSeverity#ERROR}; log warnings.
	 */
	ERROR;

	/**
	 * Return whether a finding of the given severity stops the lifecycle.
	 * @param severity the finding's severity
	 * @return whether it is at or above this threshold
	 */
	public boolean isReachedBy(LintSeverity severity) {
		return switch (this) {
			case NONE -> false;
			case WARNING -> true;
			case ERROR -> severity == LintSeverity.ERROR;
		};
	}

}
