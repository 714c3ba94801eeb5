package io.apiforge.migrations.lint;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.lint.TokenCursor.QualifiedName;

/**
 * Applies the rules to an {@code ALTER TABLE}: each of its actions (add or drop a column
 * or constraint, change a column's type or nullability, rename) on an existing table,
 * and keeps the {@link SchemaView} up to date with what they do.
 *
 * @author apiforge
 */
final class AlterTableRules {

	private final ScriptContext context;

	private final SchemaView schema;

	private final List<Candidate> candidates;

	AlterTableRules(ScriptContext context, List<Candidate> candidates) {
		this.context = context;
		this.schema = context.schema();
		this.candidates = candidates;
	}

	/**
	 * Check an {@code ALTER TABLE}.
	 * @param cursor after {@code ALTER TABLE}
	 */
	void check(TokenCursor cursor) {
		cursor.acceptWords("IF", "EXISTS");
		cursor.acceptWords("ONLY");
		QualifiedName name = cursor.acceptName();
		if (name == null) {
			return;
		}
		cursor.acceptSymbol("*");
		TableKey table = this.schema.resolve(name);
		boolean existing = this.schema.isExisting(table);
		if (cursor.acceptWords("RENAME")) {
			rename(cursor, table, existing);
			return;
		}
		List<TokenCursor> actions = cursor.splitAtCommas();
		if (existing && !actions.stream().allMatch((action) -> action.isWords("VALIDATE", "CONSTRAINT"))) {
			StatementRules.lockTaken(this.context, this.candidates, table, "ALTER TABLE");
		}
		for (TokenCursor action : actions) {
			action(action, table, existing);
		}
	}

	private void action(TokenCursor action, TableKey table, boolean existing) {
		if (action.acceptWords("ADD")) {
			if (action.acceptWords("CONSTRAINT")) {
				constraint(action, table, existing, action.acceptIdentifier());
			}
			else if (action.isWords("PRIMARY") || action.isWords("UNIQUE") || action.isWords("CHECK")
					|| action.isWords("FOREIGN") || action.isWords("EXCLUDE")) {
				constraint(action, table, existing, null);
			}
			else {
				action.acceptWords("COLUMN");
				action.acceptWords("IF", "NOT", "EXISTS");
				ColumnDefinition column = ColumnDefinition.parse(action);
				if (column != null) {
					addColumn(table, existing, column);
				}
			}
		}
		else if (action.acceptWords("ALTER")) {
			action.acceptWords("COLUMN");
			String column = action.acceptIdentifier();
			if (column != null) {
				alterColumn(action, table, column);
			}
		}
		else if (action.acceptWords("DROP")) {
			if (action.isWords("CONSTRAINT")) {
				return;
			}
			action.acceptWords("COLUMN");
			action.acceptWords("IF", "EXISTS");
			String column = action.acceptIdentifier();
			if (column != null) {
				dropColumn(table, column);
			}
		}
		else if (action.acceptWords("VALIDATE", "CONSTRAINT")) {
			String constraint = action.acceptIdentifier();
			if (constraint != null) {
				validate(table, constraint);
			}
		}
	}

	/**
	 * A constraint added {@code NOT VALID} and validated in the same transaction is
	 * validated under the lock its {@code ADD} took, which is held until the migration
	 * commits: no better than adding it valid.
	 */
	private void validate(TableKey table, String constraint) {
		LintRule rule = this.context.addedNotValid(table, constraint);
		if (rule != null && (this.context.execution().runsInTransaction()
				|| this.context.transactionOpenedAt() != null)) {
			add(rule, "VALIDATE CONSTRAINT " + constraint + " on existing table " + table
					+ " runs in the same transaction as the ADD CONSTRAINT … NOT VALID before it, so it checks every row "
					+ "under the lock that ADD took, held until the migration commits.");
		}
		this.schema.constraintValidated(table, constraint);
	}

	private void addColumn(TableKey table, boolean existing, ColumnDefinition column) {
		if (existing) {
			String added = "ADD COLUMN " + column.name() + " on existing table " + table;
			if (column.notNull() && !column.hasDefault()) {
				add(LintRule.ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT,
						added + " is NOT NULL without a DEFAULT: it fails as soon as the table has a row.");
			}
			String volatileDefault = volatileDefault(column);
			if (volatileDefault != null) {
				add(LintRule.ADD_COLUMN_VOLATILE_DEFAULT, added + " with " + volatileDefault
						+ " rewrites the whole table under an ACCESS EXCLUSIVE lock: every existing row gets its own value.");
			}
			if (column.unique()) {
				add(LintRule.ADD_UNIQUE_CONSTRAINT_WITHOUT_INDEX, added
						+ " is UNIQUE (or a PRIMARY KEY): its index is built under an ACCESS EXCLUSIVE lock, no reads or writes until it is done.");
			}
		}
		this.schema.columnAdded(table, column.name(), column.type(), column.notNull());
	}

	/**
	 * Return what makes a new column's default volatile.
	 * @return a description such as {@code DEFAULT gen_random_uuid()}, or {@code null}
	 * when its default (if any) is computed once for all rows
	 */
	private @Nullable String volatileDefault(ColumnDefinition column) {
		if (column.identity()) {
			return "type " + column.type() + " (a sequence's values)";
		}
		List<SqlToken> expression = column.defaultExpression();
		if (expression == null) {
			return null;
		}
		for (int i = 0; i + 1 < expression.size(); i++) {
			SqlToken token = expression.get(i);
			if (token.type() == SqlToken.Type.WORD && expression.get(i + 1).isSymbol("(")
					&& Boolean.TRUE.equals(this.schema.isVolatile(token.identifier()))) {
				return "DEFAULT " + ColumnTypes.text(expression) + " (" + token.identifier() + " is volatile)";
			}
		}
		return null;
	}

	private void constraint(TokenCursor action, TableKey table, boolean existing, @Nullable String constraint) {
		boolean notValid = action.containsWords("NOT", "VALID");
		String named = (constraint != null) ? " " + constraint : "";
		if (action.acceptWords("FOREIGN", "KEY")) {
			action.acceptParenthesized();
			action.acceptWords("REFERENCES");
			QualifiedName referenced = action.acceptName();
			if (existing && notValid && constraint != null) {
				this.context.addedNotValid(table, constraint, LintRule.ADD_FOREIGN_KEY_WITHOUT_NOT_VALID);
			}
			if (existing && !notValid) {
				add(LintRule.ADD_FOREIGN_KEY_WITHOUT_NOT_VALID, "ADD FOREIGN KEY" + named + " on existing table " + table
						+ " without NOT VALID checks every row while writes to " + table
						+ ((referenced != null) ? " and " + this.schema.resolve(referenced) : "") + " wait.");
			}
		}
		else if (action.acceptWords("CHECK")) {
			TokenCursor condition = action.acceptParenthesized();
			String column = (condition != null) ? notNullColumn(condition) : null;
			if (column != null) {
				this.schema.notNullCheckAdded(table, constraint, column, !notValid);
			}
			if (existing && notValid && constraint != null) {
				this.context.addedNotValid(table, constraint, LintRule.ADD_CHECK_WITHOUT_NOT_VALID);
			}
			if (existing && !notValid) {
				add(LintRule.ADD_CHECK_WITHOUT_NOT_VALID, "ADD CHECK" + named + " on existing table " + table
						+ " without NOT VALID scans every row under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done.");
			}
		}
		else if (action.acceptWords("UNIQUE") || action.acceptWords("PRIMARY", "KEY")) {
			if (existing && !action.isWords("USING", "INDEX")) {
				add(LintRule.ADD_UNIQUE_CONSTRAINT_WITHOUT_INDEX, "ADD UNIQUE/PRIMARY KEY" + named + " on existing table "
						+ table + " builds its index under an ACCESS EXCLUSIVE lock: no reads, no writes until it is built.");
			}
		}
	}

	private static @Nullable String notNullColumn(TokenCursor condition) {
		List<SqlToken> tokens = condition.remaining();
		if (tokens.size() == 4 && tokens.get(0).isIdentifier() && tokens.get(1).is("IS") && tokens.get(2).is("NOT")
				&& tokens.get(3).is("NULL")) {
			return tokens.get(0).identifier();
		}
		return null;
	}

	private void alterColumn(TokenCursor action, TableKey table, String column) {
		boolean existingColumn = this.schema.isExistingColumn(table, column);
		if (action.acceptWords("SET", "NOT", "NULL")) {
			if (existingColumn && !this.schema.isNotNull(table, column) && !this.schema.isProvenNotNull(table, column)) {
				add(LintRule.SET_NOT_NULL, "SET NOT NULL on " + table + "." + column
						+ " scans the whole table under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done.");
			}
			this.schema.columnChanged(table, column, null, true);
		}
		else if (action.acceptWords("DROP", "NOT", "NULL")) {
			this.schema.columnChanged(table, column, null, false);
		}
		else if (action.acceptWords("SET", "DATA", "TYPE") || action.acceptWords("TYPE")) {
			int using = action.indexOfWords("USING");
			int collate = action.indexOfWords("COLLATE");
			int end = (using >= 0) ? using : (collate >= 0) ? collate : action.remaining().size();
			String type = ColumnTypes.text(action.take(end).remaining());
			String current = this.schema.columnType(table, column);
			if (existingColumn && current != null && (using >= 0 || !ColumnTypes.isWidening(current, type))) {
				String unreadable = (using >= 0) ? null : !ColumnTypes.isReadable(type) ? type
						: !ColumnTypes.isReadable(current) ? current : null;
				add(LintRule.ALTER_COLUMN_TYPE, "ALTER COLUMN " + column + " TYPE " + type + " on existing table " + table
						+ " (from " + current + ") rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, "
						+ "and the running application may not read the new type."
						+ ((unreadable != null) ? " (The lint cannot read the type " + unreadable
								+ ", so it cannot tell whether this is a widening that needs no rewrite.)" : ""));
			}
			this.schema.columnChanged(table, column, type, null);
		}
	}

	private void dropColumn(TableKey table, String column) {
		if (this.schema.isExistingColumn(table, column)) {
			add(LintRule.DROP_COLUMN, "DROP COLUMN " + column + " on existing table " + table
					+ " breaks the application version still running during a rolling deployment: its queries and mappings still use it.");
		}
		this.schema.columnDropped(table, column);
	}

	private void rename(TokenCursor cursor, TableKey table, boolean existing) {
		if (cursor.acceptWords("CONSTRAINT")) {
			return;
		}
		if (existing) {
			StatementRules.lockTaken(this.context, this.candidates, table, "ALTER TABLE … RENAME");
		}
		if (cursor.acceptWords("TO")) {
			String renamed = cursor.acceptIdentifier();
			if (renamed == null) {
				return;
			}
			if (existing) {
				add(LintRule.RENAME_TABLE, "RENAME of existing table " + table + " to " + renamed
						+ " breaks the application version still running during a rolling deployment: its queries use the old name.");
			}
			this.schema.tableRenamed(table, new TableKey(table.schema(), renamed));
			return;
		}
		cursor.acceptWords("COLUMN");
		String column = cursor.acceptIdentifier();
		if (column == null || !cursor.acceptWords("TO")) {
			return;
		}
		String renamed = cursor.acceptIdentifier();
		if (renamed == null) {
			return;
		}
		if (this.schema.isExistingColumn(table, column)) {
			add(LintRule.RENAME_COLUMN, "RENAME COLUMN " + column + " TO " + renamed + " on existing table " + table
					+ " breaks the application version still running during a rolling deployment: its queries use the old name.");
		}
		this.schema.columnRenamed(table, column, renamed);
	}

	private void add(LintRule rule, String message) {
		this.candidates.add(new Candidate(rule, message));
	}

}
