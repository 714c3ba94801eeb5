package io.apiforge.migrations.lint;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How Flyway 11 will run a script on PostgreSQL, worked out the way Flyway does it: a
 * script runs in a transaction unless one of its statements is one PostgreSQL refuses to
 * run in a transaction and Flyway recognises ({@code CREATE/DROP INDEX CONCURRENTLY},
 * {@code VACUUM}, {@code CREATE DATABASE}, …), or its {@code .sql.conf} says
 * {@code executeInTransaction}. A script that mixes both kinds is refused unless
 * {@code spring.flyway.mixed=true}.
 *
 * @param runsInTransaction whether Flyway runs the script in a transaction
 * @param refusedAsMixed whether Flyway refuses the script because it mixes transactional
 * and non-transactional statements
 * @param configured the script's own {@code executeInTransaction}, or {@code null}
 * @author apiforge
 */
record ScriptExecution(boolean runsInTransaction, boolean refusedAsMixed, @Nullable Boolean configured) {

	/**
	 * Work out how Flyway runs a script.
	 * @param statements the script's statements
	 * @param configured the script's own {@code executeInTransaction}, or {@code null}
	 * @param settings the Flyway settings
	 * @return how it runs
	 */
	static ScriptExecution of(List<SqlStatement> statements, @Nullable Boolean configured, FlywaySettings settings) {
		boolean nonTransactional = statements.stream().anyMatch(ScriptExecution::runsOutsideTransaction);
		boolean transactional = statements.stream().anyMatch((statement) -> !runsOutsideTransaction(statement));
		boolean refused = !settings.mixed() && transactional && nonTransactional && configured == null
				&& settings.executeInTransaction();
		boolean inTransaction = (configured != null) ? configured : !nonTransactional && settings.executeInTransaction();
		return new ScriptExecution(inTransaction, refused, configured);
	}

	/**
	 * Return whether Flyway's PostgreSQL parser marks a statement as one to run outside a
	 * transaction (its {@code detectCanExecuteInTransaction}, for PostgreSQL 12 and
	 * later).
	 * @param statement the statement
	 * @return whether Flyway runs it outside a transaction
	 */
	static boolean runsOutsideTransaction(SqlStatement statement) {
		TokenCursor cursor = statement.cursor();
		if (cursor.acceptWords("CREATE") || cursor.acceptWords("DROP")) {
			if (cursor.isWords("DATABASE") || cursor.isWords("TABLESPACE") || cursor.isWords("SUBSCRIPTION")) {
				return true;
			}
			cursor.acceptWords("UNIQUE");
			return cursor.isWords("INDEX", "CONCURRENTLY");
		}
		if (cursor.acceptWords("REINDEX")) {
			cursor.acceptWords("VERBOSE");
			return cursor.isWords("SCHEMA") || cursor.isWords("DATABASE") || cursor.isWords("SYSTEM");
		}
		return cursor.isWords("ALTER", "SYSTEM") || cursor.isWords("VACUUM") || cursor.isWords("DISCARD", "ALL");
	}

}
