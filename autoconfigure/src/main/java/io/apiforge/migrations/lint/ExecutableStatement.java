package io.apiforge.migrations.lint;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * One statement of a SQL script, split the way the lint splits scripts, for code that
 * runs a script one statement at a time (the rollback's undo scripts), so that a failure
 * names the line of its statement, and a statement that cannot run inside a transaction
 * is known before anything runs.
 *
 * @author apiforge
 */
public final class ExecutableStatement {

	/** The first PostgreSQL version that runs {@code ALTER TYPE … ADD VALUE} in a transaction. */
	private static final int ADD_VALUE_IN_TRANSACTION = 12;

	private static final int WORDS_IN_NAME = 4;

	private static final Set<String> TWO_WORD_STATEMENTS = Set.of("CREATE", "DROP", "ALTER", "DISCARD", "START",
			"PREPARE", "REINDEX");

	private final SqlStatement statement;

	private ExecutableStatement(SqlStatement statement) {
		this.statement = statement;
	}

	/**
	 * Split a script into statements.
	 * @param sql the script, placeholders replaced
	 * @return its statements, in order, without empty ones
	 */
	public static List<ExecutableStatement> split(String sql) {
		return SqlScriptSplitter.split(sql).stream().map(ExecutableStatement::new).toList();
	}

	/**
	 * Return the statement's SQL.
	 * @return the SQL, from its first token to its last
	 */
	public String sql() {
		return this.statement.sql();
	}

	/**
	 * Return the line the statement starts on.
	 * @return the line of its first token (1-based)
	 */
	public int line() {
		return this.statement.line();
	}

	/**
	 * Return the statement on one line, shortened, for messages.
	 * @return the statement
	 */
	public String shortText() {
		return this.statement.shortText();
	}

	/**
	 * Return why this statement cannot run inside a transaction, if it cannot: the
	 * statements PostgreSQL refuses in a transaction block (those Flyway recognises, such
	 * as {@code CREATE INDEX CONCURRENTLY}, {@code VACUUM}, {@code CREATE DATABASE}, and
	 * {@code REINDEX … CONCURRENTLY}), {@code ALTER TYPE … ADD VALUE} before PostgreSQL
	 * 12, and the statements that end or open a transaction themselves ({@code COMMIT},
	 * {@code BEGIN}, …).
	 * @param serverMajorVersion the major version of the PostgreSQL server, asked only
	 * for a statement whose answer depends on it
	 * @return the reason, or {@code null} when it runs in a transaction
	 */
	public @Nullable String outsideTransactionReason(IntSupplier serverMajorVersion) {
		TokenCursor cursor = this.statement.cursor();
		String name = name();
		if (ScriptExecution.runsOutsideTransaction(this.statement)
				|| (cursor.isWords("REINDEX") && cursor.containsWords("CONCURRENTLY"))) {
			return "PostgreSQL refuses " + name + " inside a transaction block";
		}
		if (cursor.isWords("ALTER", "TYPE") && cursor.containsWords("ADD", "VALUE")
				&& serverMajorVersion.getAsInt() < ADD_VALUE_IN_TRANSACTION) {
			return "PostgreSQL " + serverMajorVersion.getAsInt() + " refuses ALTER TYPE … ADD VALUE inside a transaction block "
					+ "(PostgreSQL 12 and later accept it)";
		}
		if (cursor.isWords("COMMIT") || cursor.isWords("END") || cursor.isWords("ROLLBACK") || cursor.isWords("ABORT")
				|| cursor.isWords("BEGIN") || cursor.isWords("START", "TRANSACTION")
				|| cursor.isWords("PREPARE", "TRANSACTION")) {
			return name + " controls the transaction itself, which would split the undo from the deletion of its "
					+ "history row";
		}
		return null;
	}

	/**
	 * Return whether this statement is a {@code COPY … FROM STDIN}, whose data (the lines
	 * after it) only {@code psql} and Flyway's own parser send: it cannot run as a plain
	 * statement.
	 * @return whether it copies from standard input
	 */
	public boolean isCopyFromStdin() {
		TokenCursor cursor = this.statement.cursor();
		return cursor.isWords("COPY") && cursor.containsWords("FROM", "STDIN");
	}

	/**
	 * Name the statement by its leading keywords ({@code CREATE UNIQUE INDEX
	 * CONCURRENTLY}, {@code VACUUM}, {@code CREATE DATABASE}), never by the names of
	 * what it touches.
	 */
	private String name() {
		List<SqlToken> tokens = this.statement.tokens();
		int words = 1;
		for (int i = 0; i < Math.min(tokens.size(), WORDS_IN_NAME + 1); i++) {
			if (tokens.get(i).is("CONCURRENTLY")) {
				words = i + 1;
				break;
			}
			if (i == 1 && TWO_WORD_STATEMENTS.contains(tokens.get(0).text().toUpperCase(Locale.ROOT))) {
				words = 2;
			}
		}
		return tokens.stream()
			.limit(words)
			.map((token) -> token.text().toUpperCase(Locale.ROOT))
			.collect(Collectors.joining(" "));
	}

	@Override
	public String toString() {
		return "line " + line() + ": " + shortText();
	}

}
