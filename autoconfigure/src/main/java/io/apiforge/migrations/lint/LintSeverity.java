package io.apiforge.migrations.lint;

import java.util.Locale;

/**
 * How bad a {@link LintFinding} is.
 *
 * @author apiforge
 */
public enum LintSeverity {

	/**
	 * The statement locks an existing table for a time that grows with its size: harmless
	 * on a small table, an outage on a large, busy one.
	 */
	WARNING,

	/**
	 * The statement fails, hangs, or breaks the application version still running
	 * during a rolling deployment.
	 */
	ERROR;

	/**
	 * Return the name used in reports and properties.
	 * @return {@code warning} or {@code error}
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

}
