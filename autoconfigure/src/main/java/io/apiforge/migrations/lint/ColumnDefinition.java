package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A column as {@code CREATE TABLE} or {@code ALTER TABLE … ADD COLUMN} defines it: its
 * name, its type and the constraints the rules care about.
 *
 * @param name the column's name
 * @param type its type as written, normalised ({@code varchar(32)})
 * @param notNull whether it is {@code NOT NULL} (a primary key is)
 * @param defaultExpression the tokens of its {@code DEFAULT}, or {@code null} when it has
 * none
 * @param unique whether it is {@code UNIQUE} or a {@code PRIMARY KEY}
 * @param identity whether it is an identity column
 * @param generated whether it is a generated column
 * @author apiforge
 */
record ColumnDefinition(String name, String type, boolean notNull, @Nullable List<SqlToken> defaultExpression,
		boolean unique, boolean identity, boolean generated) {

	private static final Set<String> CONSTRAINT_WORDS = Set.of("CONSTRAINT", "NOT", "NULL", "DEFAULT", "CHECK", "UNIQUE",
			"PRIMARY", "REFERENCES", "GENERATED", "COLLATE", "DEFERRABLE", "INITIALLY", "COMPRESSION", "STORAGE");

	private static final Set<String> SERIAL_TYPES = Set.of("serial", "serial4", "bigserial", "serial8", "smallserial",
			"serial2");

	/**
	 * Read a column definition.
	 * @param cursor at the column's name
	 * @return the definition, or {@code null} when no column name follows
	 */
	static @Nullable ColumnDefinition parse(TokenCursor cursor) {
		String name = cursor.acceptIdentifier();
		if (name == null) {
			return null;
		}
		List<SqlToken> type = new ArrayList<>();
		while (!cursor.atEnd() && !isConstraintWord(cursor.peek())) {
			TokenCursor group = cursor.acceptParenthesized();
			if (group != null) {
				type.add(new SqlToken(SqlToken.Type.SYMBOL, "(", 0));
				type.addAll(group.remaining());
				type.add(new SqlToken(SqlToken.Type.SYMBOL, ")", 0));
			}
			else {
				type.add(cursor.peek());
				cursor.skip();
			}
		}
		boolean notNull = false;
		boolean unique = false;
		boolean identity = false;
		boolean generated = false;
		List<SqlToken> defaultExpression = null;
		while (!cursor.atEnd()) {
			if (cursor.acceptWords("NOT", "NULL")) {
				notNull = true;
			}
			else if (cursor.acceptWords("PRIMARY", "KEY")) {
				notNull = true;
				unique = true;
			}
			else if (cursor.acceptWords("UNIQUE")) {
				unique = true;
			}
			else if (cursor.acceptWords("DEFAULT", "NULL")) {
				defaultExpression = null;
			}
			else if (cursor.acceptWords("DEFAULT")) {
				defaultExpression = new ArrayList<>();
				while (!cursor.atEnd() && !isConstraintWord(cursor.peek())) {
					TokenCursor group = cursor.acceptParenthesized();
					if (group != null) {
						defaultExpression.add(new SqlToken(SqlToken.Type.SYMBOL, "(", 0));
						defaultExpression.addAll(group.remaining());
						defaultExpression.add(new SqlToken(SqlToken.Type.SYMBOL, ")", 0));
					}
					else {
						defaultExpression.add(cursor.peek());
						cursor.skip();
					}
				}
			}
			else if (cursor.acceptWords("GENERATED")) {
				if (cursor.containsWords("IDENTITY")) {
					identity = true;
				}
				else {
					generated = true;
				}
			}
			else if (cursor.acceptParenthesized() == null) {
				cursor.skip();
			}
		}
		String typeText = ColumnTypes.text(type);
		identity = identity || SERIAL_TYPES.contains(typeText);
		return new ColumnDefinition(name, typeText, notNull, defaultExpression, unique, identity, generated);
	}

	private static boolean isConstraintWord(@Nullable SqlToken token) {
		return token != null && token.type() == SqlToken.Type.WORD
				&& CONSTRAINT_WORDS.contains(token.text().toUpperCase(Locale.ROOT));
	}

	/**
	 * Return whether a new row gets a value without one being given: a default, an
	 * identity or serial, or a generated expression.
	 * @return whether existing rows get a value when the column is added
	 */
	boolean hasDefault() {
		return this.defaultExpression != null || this.identity || this.generated;
	}

}
