package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL migration script into statements, robustly enough for real
 * migrations: {@code --} and nested {@code /* *}{@code /} comments, string literals with
 * semicolons and doubled quotes, {@code E'…'} strings with backslash escapes,
 * dollar-quoted bodies ({@code $$…$$}, {@code $tag$…$tag$}), quoted identifiers,
 * {@code BEGIN ATOMIC … END} function bodies, and the data lines that follow
 * {@code COPY … FROM STDIN} (up to {@code \.}), after a leading byte order mark. It
 * never fails: an unterminated literal or comment runs to the end of the script.
 *
 * @author apiforge
 */
final class SqlScriptSplitter {

	private static final String BYTE_ORDER_MARK = "\uFEFF";

	private final String sql;

	private final List<SqlStatement> statements = new ArrayList<>();

	private final List<SqlToken> tokens = new ArrayList<>();

	private final List<Suppression> suppressions = new ArrayList<>();

	private int position;

	private int line = 1;

	private int statementStart = -1;

	private int statementEnd;

	private int atomicDepth;

	private SqlScriptSplitter(String sql) {
		this.sql = sql;
	}

	/**
	 * Split a script.
	 * @param sql the script
	 * @return its statements, in order; empty statements are left out
	 */
	static List<SqlStatement> split(String sql) {
		SqlScriptSplitter splitter = new SqlScriptSplitter(sql);
		splitter.run();
		return List.copyOf(splitter.statements);
	}

	private void run() {
		int length = this.sql.length();
		if (this.sql.startsWith(BYTE_ORDER_MARK)) {
			// Flyway skips it too; read as part of the first word, it would hide the
			// first statement from every rule.
			this.position = BYTE_ORDER_MARK.length();
		}
		while (this.position < length) {
			char c = this.sql.charAt(this.position);
			char next = (this.position + 1 < length) ? this.sql.charAt(this.position + 1) : '\0';
			if (c == '\n') {
				this.line++;
				this.position++;
			}
			else if (Character.isWhitespace(c)) {
				this.position++;
			}
			else if (c == '-' && next == '-') {
				lineComment();
			}
			else if (c == '/' && next == '*') {
				blockComment();
			}
			else if (c == ';' && this.atomicDepth == 0) {
				this.position++;
				endStatement();
			}
			else {
				token(c, next);
			}
		}
		endStatement();
	}

	private void lineComment() {
		int end = this.sql.indexOf('\n', this.position);
		end = (end < 0) ? this.sql.length() : end;
		Suppression suppression = Suppression.parse(this.sql.substring(this.position + 2, end), this.line);
		if (suppression != null) {
			this.suppressions.add(suppression);
		}
		this.position = end;
	}

	private void blockComment() {
		int depth = 0;
		int length = this.sql.length();
		while (this.position < length) {
			if (this.sql.startsWith("/*", this.position)) {
				depth++;
				this.position += 2;
			}
			else if (this.sql.startsWith("*/", this.position)) {
				depth--;
				this.position += 2;
				if (depth == 0) {
					return;
				}
			}
			else {
				advance();
			}
		}
	}

	private void token(char c, char next) {
		int start = this.position;
		int startLine = this.line;
		if (c == '\'') {
			add(SqlToken.Type.STRING, quoted('\'', false), startLine, start);
		}
		else if (c == '"') {
			add(SqlToken.Type.QUOTED_IDENTIFIER, quoted('"', false), startLine, start);
		}
		else if (c == '$') {
			dollar(start, startLine, next);
		}
		else if (isWordStart(c)) {
			word(start, startLine);
		}
		else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
			while (this.position < this.sql.length() && isNumberPart(this.sql.charAt(this.position))) {
				this.position++;
			}
			add(SqlToken.Type.NUMBER, this.sql.substring(start, this.position), startLine, start);
		}
		else if (c == ':' && next == ':') {
			this.position += 2;
			add(SqlToken.Type.SYMBOL, "::", startLine, start);
		}
		else {
			this.position++;
			add(SqlToken.Type.SYMBOL, String.valueOf(c), startLine, start);
		}
	}

	private void word(int start, int startLine) {
		while (this.position < this.sql.length() && isWordPart(this.sql.charAt(this.position))) {
			this.position++;
		}
		String word = this.sql.substring(start, this.position);
		if (word.equalsIgnoreCase("E") && this.position < this.sql.length() && this.sql.charAt(this.position) == '\'') {
			add(SqlToken.Type.STRING, quoted('\'', true), startLine, start);
			return;
		}
		add(SqlToken.Type.WORD, word, startLine, start);
		trackAtomicBody(word);
	}

	/**
	 * SQL-standard function bodies ({@code BEGIN ATOMIC … END}) hold semicolons that do
	 * not end the statement; {@code CASE … END} may nest inside them.
	 */
	private void trackAtomicBody(String word) {
		if (word.equalsIgnoreCase("ATOMIC") && this.tokens.size() > 1
				&& this.tokens.get(this.tokens.size() - 2).is("BEGIN")) {
			this.atomicDepth++;
		}
		else if (this.atomicDepth > 0 && word.equalsIgnoreCase("CASE")) {
			this.atomicDepth++;
		}
		else if (this.atomicDepth > 0 && word.equalsIgnoreCase("END")) {
			this.atomicDepth--;
		}
	}

	private void dollar(int start, int startLine, char next) {
		if (Character.isDigit(next)) {
			this.position++;
			while (this.position < this.sql.length() && Character.isDigit(this.sql.charAt(this.position))) {
				this.position++;
			}
			add(SqlToken.Type.PARAMETER, this.sql.substring(start, this.position), startLine, start);
			return;
		}
		int tagEnd = start + 1;
		while (tagEnd < this.sql.length() && isWordPart(this.sql.charAt(tagEnd)) && this.sql.charAt(tagEnd) != '$') {
			tagEnd++;
		}
		if (tagEnd >= this.sql.length() || this.sql.charAt(tagEnd) != '$') {
			this.position++;
			add(SqlToken.Type.SYMBOL, "$", startLine, start);
			return;
		}
		String delimiter = this.sql.substring(start, tagEnd + 1);
		int bodyStart = tagEnd + 1;
		int bodyEnd = this.sql.indexOf(delimiter, bodyStart);
		int end = (bodyEnd < 0) ? this.sql.length() : bodyEnd + delimiter.length();
		String body = this.sql.substring(bodyStart, (bodyEnd < 0) ? this.sql.length() : bodyEnd);
		while (this.position < end) {
			advance();
		}
		add(SqlToken.Type.STRING, body, startLine, start);
	}

	/**
	 * Read a literal or identifier between the given quotes, where a doubled quote stands
	 * for one, and (in {@code E''} strings) a backslash escapes the next character.
	 */
	private String quoted(char quote, boolean backslashEscapes) {
		StringBuilder text = new StringBuilder();
		this.position++;
		int length = this.sql.length();
		while (this.position < length) {
			char c = this.sql.charAt(this.position);
			if (backslashEscapes && c == '\\' && this.position + 1 < length) {
				advance();
				text.append(this.sql.charAt(this.position));
				advance();
			}
			else if (c == quote) {
				if (this.position + 1 < length && this.sql.charAt(this.position + 1) == quote) {
					text.append(quote);
					this.position += 2;
				}
				else {
					this.position++;
					return text.toString();
				}
			}
			else {
				text.append(c);
				advance();
			}
		}
		return text.toString();
	}

	private void advance() {
		if (this.sql.charAt(this.position) == '\n') {
			this.line++;
		}
		this.position++;
	}

	private void add(SqlToken.Type type, String text, int tokenLine, int start) {
		if (this.tokens.isEmpty()) {
			this.statementStart = start;
		}
		this.tokens.add(new SqlToken(type, text, tokenLine));
		this.statementEnd = this.position;
	}

	private void endStatement() {
		this.atomicDepth = 0;
		if (this.tokens.isEmpty()) {
			return;
		}
		SqlStatement statement = new SqlStatement(this.sql.substring(this.statementStart, this.statementEnd),
				this.tokens.get(0).line(), this.tokens, this.suppressions);
		this.statements.add(statement);
		this.tokens.clear();
		this.suppressions.clear();
		if (isCopyFromStdin(statement)) {
			skipCopyData();
		}
	}

	private static boolean isCopyFromStdin(SqlStatement statement) {
		List<SqlToken> tokens = statement.tokens();
		if (!tokens.get(0).is("COPY")) {
			return false;
		}
		for (int i = 1; i < tokens.size() - 1; i++) {
			if (tokens.get(i).is("FROM") && tokens.get(i + 1).is("STDIN")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Skip the data of a {@code COPY … FROM STDIN}: the rest of the statement's line,
	 * then every line up to one that holds only {@code \.}.
	 */
	private void skipCopyData() {
		int length = this.sql.length();
		boolean firstLine = true;
		while (this.position < length) {
			int end = this.sql.indexOf('\n', this.position);
			end = (end < 0) ? length : end;
			String text = this.sql.substring(this.position, end);
			this.position = Math.min(end + 1, length);
			if (end < length) {
				this.line++;
			}
			if (!firstLine && text.strip().equals("\\.")) {
				return;
			}
			firstLine = false;
		}
	}

	private static boolean isWordStart(char c) {
		return Character.isLetter(c) || c == '_' || c > 127;
	}

	private static boolean isWordPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127;
	}

	private static boolean isNumberPart(char c) {
		return Character.isLetterOrDigit(c) || c == '.';
	}

}
