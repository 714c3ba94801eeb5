package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Walks the tokens of a statement (or of a part of one) for the rules: keywords, names,
 * parenthesised groups, and the parts of a comma-separated list.
 *
 * @author apiforge
 */
final class TokenCursor {

	private final List<SqlToken> tokens;

	private int position;

	TokenCursor(List<SqlToken> tokens) {
		this.tokens = tokens;
	}

	boolean atEnd() {
		return this.position >= this.tokens.size();
	}

	@Nullable SqlToken peek() {
		return peek(0);
	}

	@Nullable SqlToken peek(int ahead) {
		int index = this.position + ahead;
		return (index < this.tokens.size()) ? this.tokens.get(index) : null;
	}

	/**
	 * Return whether the next tokens are the given keywords, in order.
	 * @param keywords the keywords, in upper case
	 * @return whether they follow
	 */
	boolean isWords(String... keywords) {
		for (int i = 0; i < keywords.length; i++) {
			SqlToken token = peek(i);
			if (token == null || !token.is(keywords[i])) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Move past the given keywords if they follow.
	 * @param keywords the keywords, in upper case
	 * @return whether they followed
	 */
	boolean acceptWords(String... keywords) {
		if (!isWords(keywords)) {
			return false;
		}
		this.position += keywords.length;
		return true;
	}

	boolean isSymbol(String symbol) {
		SqlToken token = peek();
		return token != null && token.isSymbol(symbol);
	}

	boolean acceptSymbol(String symbol) {
		if (!isSymbol(symbol)) {
			return false;
		}
		this.position++;
		return true;
	}

	void skip() {
		this.position++;
	}

	/**
	 * Read a possibly qualified name: identifiers separated by dots.
	 * @return the name, or {@code null} (and nothing read) when no identifier follows
	 */
	@Nullable QualifiedName acceptName() {
		SqlToken first = peek();
		if (first == null || !first.isIdentifier()) {
			return null;
		}
		List<String> parts = new ArrayList<>();
		parts.add(first.identifier());
		this.position++;
		while (isSymbol(".") && peek(1) != null && peek(1).isIdentifier()) {
			parts.add(peek(1).identifier());
			this.position += 2;
		}
		return new QualifiedName(parts);
	}

	/**
	 * Read an identifier.
	 * @return the name it stands for, or {@code null} (and nothing read) when none follows
	 */
	@Nullable String acceptIdentifier() {
		SqlToken token = peek();
		if (token == null || !token.isIdentifier()) {
			return null;
		}
		this.position++;
		return token.identifier();
	}

	/**
	 * Read a parenthesised group.
	 * @return a cursor over the tokens inside the parentheses, or {@code null} (and
	 * nothing read) when no {@code (} follows
	 */
	@Nullable TokenCursor acceptParenthesized() {
		if (!isSymbol("(")) {
			return null;
		}
		int depth = 0;
		int start = this.position + 1;
		while (!atEnd()) {
			SqlToken token = this.tokens.get(this.position++);
			if (token.isSymbol("(")) {
				depth++;
			}
			else if (token.isSymbol(")") && --depth == 0) {
				return new TokenCursor(this.tokens.subList(start, this.position - 1));
			}
		}
		return new TokenCursor(this.tokens.subList(start, this.tokens.size()));
	}

	/**
	 * Split what is left at the commas outside parentheses, as in the actions of an
	 * {@code ALTER TABLE} or the elements of a {@code CREATE TABLE}.
	 * @return a cursor over each part
	 */
	List<TokenCursor> splitAtCommas() {
		List<TokenCursor> parts = new ArrayList<>();
		int depth = 0;
		int start = this.position;
		for (int i = this.position; i < this.tokens.size(); i++) {
			SqlToken token = this.tokens.get(i);
			if (token.isSymbol("(")) {
				depth++;
			}
			else if (token.isSymbol(")")) {
				depth--;
			}
			else if (token.isSymbol(",") && depth == 0) {
				parts.add(new TokenCursor(this.tokens.subList(start, i)));
				start = i + 1;
			}
		}
		parts.add(new TokenCursor(this.tokens.subList(start, this.tokens.size())));
		this.position = this.tokens.size();
		return parts;
	}

	/**
	 * Return whether the given keywords follow one another somewhere in what is left,
	 * outside parentheses.
	 * @param keywords the keywords, in upper case
	 * @return whether they occur
	 */
	boolean containsWords(String... keywords) {
		return indexOfWords(keywords) >= 0;
	}

	/**
	 * Return where the given keywords first follow one another in what is left, outside
	 * parentheses, counted from the current position.
	 * @param keywords the keywords, in upper case
	 * @return how many tokens ahead they start, or {@code -1}
	 */
	int indexOfWords(String... keywords) {
		int depth = 0;
		for (int i = this.position; i < this.tokens.size(); i++) {
			SqlToken token = this.tokens.get(i);
			if (token.isSymbol("(")) {
				depth++;
			}
			else if (token.isSymbol(")")) {
				depth--;
			}
			else if (depth == 0 && matchesAt(i, keywords)) {
				return i - this.position;
			}
		}
		return -1;
	}

	private boolean matchesAt(int index, String... keywords) {
		for (int i = 0; i < keywords.length; i++) {
			if (index + i >= this.tokens.size() || !this.tokens.get(index + i).is(keywords[i])) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the tokens left.
	 * @return the tokens from the current position on
	 */
	List<SqlToken> remaining() {
		return this.tokens.subList(Math.min(this.position, this.tokens.size()), this.tokens.size());
	}

	/**
	 * Return a cursor over the next tokens, up to (not including) the given number ahead,
	 * and move past them.
	 * @param count how many tokens to take
	 * @return a cursor over them
	 */
	TokenCursor take(int count) {
		int end = Math.min(this.position + count, this.tokens.size());
		TokenCursor taken = new TokenCursor(this.tokens.subList(this.position, end));
		this.position = end;
		return taken;
	}

	/**
	 * A name as written in SQL, folded the way PostgreSQL folds it.
	 *
	 * @param parts its parts, such as {@code [public, items]}
	 */
	record QualifiedName(List<String> parts) {

		String last() {
			return this.parts.get(this.parts.size() - 1);
		}

		@Nullable String qualifier() {
			return (this.parts.size() > 1) ? this.parts.get(this.parts.size() - 2) : null;
		}

		@Override
		public String toString() {
			return String.join(".", this.parts);
		}

	}

}
