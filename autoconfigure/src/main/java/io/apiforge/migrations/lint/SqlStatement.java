package io.apiforge.migrations.lint;

import java.util.List;

/**
 * One statement of a migration script, as {@link SqlScriptSplitter} found it.
 *
 * @param sql the statement's text, from its first token to its last, comments inside
 * included
 * @param line the line of its first token (1-based), the line Flyway reports
 * @param tokens its tokens, without comments
 * @param suppressions the {@code -- migrations:allow} comments after the previous
 * statement and up to the end of this one
 * @author apiforge
 */
record SqlStatement(String sql, int line, List<SqlToken> tokens, List<Suppression> suppressions) {

	private static final int SHORT_LENGTH = 160;

	SqlStatement {
		tokens = List.copyOf(tokens);
		suppressions = List.copyOf(suppressions);
	}

	/**
	 * Return a cursor over this statement's tokens.
	 * @return a cursor at the first token
	 */
	TokenCursor cursor() {
		return new TokenCursor(this.tokens);
	}

	/**
	 * Return this statement on one line, shortened for reports.
	 * @return the statement
	 */
	String shortText() {
		String text = this.sql.replaceAll("\\s+", " ").strip();
		return (text.length() > SHORT_LENGTH) ? text.substring(0, SHORT_LENGTH - 1) + "…" : text;
	}

}
