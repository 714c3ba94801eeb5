package io.apiforge.migrations.lint;

import java.util.Locale;

/**
 * One token of a SQL statement. Comments are not tokens; string literals (plain,
 * {@code E''} and dollar-quoted) are one token each, whatever they contain.
 *
 * @param type what kind of token it is
 * @param text a word as written, a quoted identifier or a string without its quotes,
 * or the symbol
 * @param line the line it starts on (1-based)
 * @author apiforge
 */
record SqlToken(Type type, String text, int line) {

	/**
	 * Return whether this token is the given keyword (a word, compared ignoring case).
	 * @param keyword the keyword, in upper case
	 * @return whether it is that keyword
	 */
	boolean is(String keyword) {
		return this.type == Type.WORD && this.text.equalsIgnoreCase(keyword);
	}

	/**
	 * Return whether this token is the given symbol.
	 * @param symbol the symbol, such as {@code (}
	 * @return whether it is that symbol
	 */
	boolean isSymbol(String symbol) {
		return this.type == Type.SYMBOL && this.text.equals(symbol);
	}

	/**
	 * Return whether this token can name something: a word or a quoted identifier.
	 * @return whether it is an identifier
	 */
	boolean isIdentifier() {
		return this.type == Type.WORD || this.type == Type.QUOTED_IDENTIFIER;
	}

	/**
	 * Return the name this token stands for, as PostgreSQL folds it: unquoted words in
	 * lower case, quoted identifiers as written.
	 * @return the name
	 */
	String identifier() {
		return (this.type == Type.WORD) ? this.text.toLowerCase(Locale.ROOT) : this.text;
	}

	/**
	 * Kinds of token.
	 */
	enum Type {

		/** A keyword or an unquoted identifier. */
		WORD,

		/** A {@code "quoted"} identifier. */
		QUOTED_IDENTIFIER,

		/** A string literal of any kind. */
		STRING,

		/** A number. */
		NUMBER,

		/** A positional parameter such as {@code $1}. */
		PARAMETER,

		/** Anything else: punctuation and operators, one character each but {@code ::}. */
		SYMBOL

	}

}
