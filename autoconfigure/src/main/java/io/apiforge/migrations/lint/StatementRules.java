package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.lint.TokenCursor.QualifiedName;

/**
 * Applies the rules to one statement and keeps the {@link SchemaView} up to date with
 * what it does. Statements it does not recognise (DML, {@code DO} blocks, functions,
 * grants, …) raise nothing: the lint never guesses.
 *
 * @author apiforge
 */
final class StatementRules {

	private final ScriptContext context;

	private final List<Candidate> candidates = new ArrayList<>();

	private StatementRules(ScriptContext context) {
		this.context = context;
	}

	/**
	 * Check a statement.
	 * @param statement the statement
	 * @param context what the rules know about the script so far, updated with the
	 * statement's effect
	 * @return what the rules object to
	 */
	static List<Candidate> check(SqlStatement statement, ScriptContext context) {
		StatementRules rules = new StatementRules(context);
		rules.check(statement);
		return rules.candidates;
	}

	private void check(SqlStatement statement) {
		TokenCursor cursor = statement.cursor();
		if (cursor.acceptWords("CREATE")) {
			cursor.acceptWords("OR", "REPLACE");
			create(cursor);
		}
		else if (cursor.acceptWords("ALTER", "TABLE")) {
			new AlterTableRules(this.context, this.candidates).check(cursor);
		}
		else if (cursor.acceptWords("DROP", "TABLE")) {
			dropTable(cursor);
		}
		else if (cursor.acceptWords("DROP", "INDEX", "CONCURRENTLY")) {
			concurrently("DROP INDEX CONCURRENTLY", true, false);
		}
		else if (cursor.isWords("REINDEX")) {
			if (statement.tokens().stream().anyMatch((token) -> token.is("CONCURRENTLY"))) {
				concurrently("REINDEX CONCURRENTLY", ScriptExecution.runsOutsideTransaction(statement), true);
			}
		}
		else if (cursor.acceptWords("TRUNCATE") || cursor.acceptWords("LOCK")) {
			lockTables(cursor, statement.tokens().get(0).text().toUpperCase(Locale.ROOT));
		}
		else if (cursor.acceptWords("SET") || cursor.isWords("RESET") || cursor.isWords("SELECT", "SET_CONFIG")) {
			lockTimeout(statement.cursor());
		}
		else if (cursor.isWords("BEGIN") || cursor.isWords("START", "TRANSACTION")) {
			this.context.transactionOpened(statement.line());
		}
		else if (cursor.isWords("COMMIT") || cursor.isWords("END") || cursor.isWords("ROLLBACK")
				|| cursor.isWords("ABORT")) {
			this.context.transactionEnded();
		}
	}

	private void create(TokenCursor cursor) {
		cursor.acceptWords("UNIQUE");
		if (cursor.acceptWords("INDEX")) {
			createIndex(cursor);
			return;
		}
		if (cursor.acceptWords("FUNCTION")) {
			createFunction(cursor);
			return;
		}
		cursor.acceptWords("CONSTRAINT");
		if (cursor.acceptWords("TRIGGER")) {
			int on = cursor.indexOfWords("ON");
			if (on >= 0) {
				cursor.take(on + 1);
				lockTaken(cursor.acceptName(), "CREATE TRIGGER");
			}
			return;
		}
		if (!cursor.acceptWords("GLOBAL")) {
			cursor.acceptWords("LOCAL");
		}
		if (!cursor.acceptWords("TEMPORARY") && !cursor.acceptWords("TEMP")) {
			cursor.acceptWords("UNLOGGED");
		}
		if (cursor.acceptWords("TABLE")) {
			createTable(cursor);
		}
	}

	private void createIndex(TokenCursor cursor) {
		boolean concurrently = cursor.acceptWords("CONCURRENTLY");
		cursor.acceptWords("IF", "NOT", "EXISTS");
		if (!cursor.isWords("ON")) {
			cursor.acceptName();
		}
		if (!cursor.acceptWords("ON")) {
			return;
		}
		cursor.acceptWords("ONLY");
		QualifiedName name = cursor.acceptName();
		if (concurrently) {
			concurrently("CREATE INDEX CONCURRENTLY", true, true);
			return;
		}
		if (name == null) {
			return;
		}
		TableKey table = this.context.schema().resolve(name);
		if (this.context.schema().isExisting(table)) {
			add(LintRule.CREATE_INDEX_WITHOUT_CONCURRENTLY, "CREATE INDEX on existing table " + table
					+ " without CONCURRENTLY blocks every write to it until the index is built.");
			lockTaken(table, "CREATE INDEX");
		}
	}

	/**
	 * Check a statement that must run outside a transaction.
	 * @param what the statement's kind, for the message
	 * @param recognisedByFlyway whether Flyway runs a script holding it outside a
	 * transaction
	 * @param waitsForOlderTransactions whether it waits for every transaction older than
	 * itself to end (so for Flyway's transactional lock)
	 */
	private void concurrently(String what, boolean recognisedByFlyway, boolean waitsForOlderTransactions) {
		ScriptExecution execution = this.context.execution();
		Integer transactionLine = this.context.transactionOpenedAt();
		String message = null;
		if (transactionLine != null) {
			message = what + " inside the transaction opened by BEGIN on line " + transactionLine
					+ " fails: PostgreSQL cannot run it inside a transaction block.";
		}
		else if (recognisedByFlyway && execution.refusedAsMixed()) {
			message = "The script mixes " + what + " with statements that run in a transaction, so Flyway refuses to run any of it "
					+ "(\"Detected both transactional and non-transactional statements within the same migration\", spring.flyway.mixed=false).";
		}
		else if (execution.runsInTransaction()) {
			message = what + " fails: Flyway runs this script inside a transaction ("
					+ ((execution.configured() != null) ? "executeInTransaction=true in its .sql.conf"
							: recognisedByFlyway ? "spring.flyway.execute-in-transaction" : "Flyway does not recognise " + what
									+ " as a statement to run outside one")
					+ "), and PostgreSQL cannot run it inside a transaction block.";
		}
		else if (this.context.groupRefused()) {
			message = "spring.flyway.group=true puts this non-transactional script in one group with transactional ones, "
					+ "so Flyway refuses to run the group (spring.flyway.mixed=false).";
		}
		else if (waitsForOlderTransactions && this.context.settings().transactionalLock()) {
			message = what + " hangs: it waits for every older transaction to end, and Flyway holds its lock in an open "
					+ "transaction for the whole run (spring.flyway.postgresql.transactional-lock is true unless set to false).";
		}
		if (message != null) {
			add(LintRule.CONCURRENTLY_IN_TRANSACTION, message);
		}
	}

	private void createFunction(TokenCursor cursor) {
		QualifiedName name = cursor.acceptName();
		if (name == null) {
			return;
		}
		boolean stable = cursor.containsWords("IMMUTABLE") || cursor.containsWords("STABLE");
		this.context.schema().functionCreated(name.last(), !stable);
	}

	private void createTable(TokenCursor cursor) {
		boolean ifNotExists = cursor.acceptWords("IF", "NOT", "EXISTS");
		QualifiedName name = cursor.acceptName();
		if (name == null) {
			return;
		}
		TableKey table = this.context.schema().resolve(name);
		if (ifNotExists && this.context.schema().isExisting(table)) {
			return;
		}
		Map<String, String> columns = new LinkedHashMap<>();
		TokenCursor elements = cursor.acceptParenthesized();
		if (elements != null) {
			for (TokenCursor element : elements.splitAtCommas()) {
				if (element.isWords("CONSTRAINT") || element.isWords("PRIMARY") || element.isWords("UNIQUE")
						|| element.isWords("CHECK") || element.isWords("FOREIGN") || element.isWords("EXCLUDE")
						|| element.isWords("LIKE")) {
					continue;
				}
				ColumnDefinition column = ColumnDefinition.parse(element);
				if (column != null) {
					columns.put(column.name(), column.type());
				}
			}
		}
		this.context.schema().tableCreated(table, columns);
	}

	private void dropTable(TokenCursor cursor) {
		cursor.acceptWords("IF", "EXISTS");
		for (TokenCursor part : cursor.splitAtCommas()) {
			QualifiedName name = part.acceptName();
			if (name == null) {
				continue;
			}
			TableKey table = this.context.schema().resolve(name);
			if (this.context.schema().isExisting(table)) {
				add(LintRule.DROP_TABLE, "DROP TABLE " + table
						+ " breaks the application version still running during a rolling deployment if it still uses the table.");
				lockTaken(table, "DROP TABLE");
			}
			this.context.schema().tableDropped(table);
		}
	}

	private void lockTables(TokenCursor cursor, String what) {
		cursor.acceptWords("TABLE");
		if (cursor.containsWords("NOWAIT")) {
			return;
		}
		for (TokenCursor part : cursor.splitAtCommas()) {
			part.acceptWords("ONLY");
			lockTaken(part.acceptName(), what);
		}
	}

	private void lockTimeout(TokenCursor cursor) {
		if (cursor.acceptWords("RESET")) {
			if (cursor.isWords("LOCK_TIMEOUT") || cursor.isWords("ALL")) {
				this.context.lockTimeoutSet(null);
			}
			return;
		}
		if (cursor.acceptWords("SELECT", "SET_CONFIG")) {
			TokenCursor arguments = cursor.acceptParenthesized();
			if (arguments != null) {
				List<TokenCursor> values = arguments.splitAtCommas();
				SqlToken setting = values.get(0).peek();
				if (values.size() > 1 && setting != null && setting.type() == SqlToken.Type.STRING
						&& setting.text().equalsIgnoreCase("lock_timeout")) {
					this.context.lockTimeoutSet(setsTimeout(values.get(1).peek()));
				}
			}
			return;
		}
		cursor.acceptWords("SET");
		if (!cursor.acceptWords("SESSION")) {
			cursor.acceptWords("LOCAL");
		}
		if (!cursor.acceptWords("LOCK_TIMEOUT")) {
			return;
		}
		if (!cursor.acceptWords("TO")) {
			cursor.acceptSymbol("=");
		}
		SqlToken value = cursor.peek();
		if (value != null && value.is("DEFAULT")) {
			this.context.lockTimeoutSet(null);
		}
		else {
			this.context.lockTimeoutSet(setsTimeout(value));
		}
	}

	private static boolean setsTimeout(@Nullable SqlToken value) {
		if (value == null) {
			return false;
		}
		String text = value.text().strip();
		return !text.isEmpty() && !text.matches("0+\\s*[a-zA-Z]*");
	}

	private void lockTaken(@Nullable QualifiedName name, String what) {
		if (name != null) {
			TableKey table = this.context.schema().resolve(name);
			if (this.context.schema().isExisting(table)) {
				lockTaken(table, what);
			}
		}
	}

	/**
	 * Note that the statement takes a lock on an existing table that blocks reads or
	 * writes, for {@code missing-lock-timeout}.
	 * @param table the table
	 * @param what the statement's kind, for the message
	 */
	void lockTaken(TableKey table, String what) {
		lockTaken(this.context, this.candidates, table, what);
	}

	static void lockTaken(ScriptContext context, List<Candidate> candidates, TableKey table, String what) {
		if (!context.hasLockTimeout() && context.reportLockTimeoutOnce()) {
			candidates.add(new Candidate(LintRule.MISSING_LOCK_TIMEOUT, what + " on existing table " + table
					+ " runs without a lock_timeout: if a long transaction holds a lock on the table, it waits, and every "
					+ "later query on the table queues behind it."));
		}
	}

	private void add(LintRule rule, String message) {
		this.candidates.add(new Candidate(rule, message));
	}

}
