package io.apiforge.migrations.lint;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Column types, as written in migrations and as the catalog writes them, and which type
 * changes PostgreSQL makes without rewriting the table.
 *
 * @author apiforge
 */
final class ColumnTypes {

	private static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("character varying", "varchar"),
			Map.entry("decimal", "numeric"), Map.entry("int", "integer"), Map.entry("int4", "integer"),
			Map.entry("int8", "bigint"), Map.entry("int2", "smallint"), Map.entry("bool", "boolean"),
			Map.entry("float8", "double precision"), Map.entry("float4", "real"),
			Map.entry("timestamptz", "timestamp with time zone"),
			Map.entry("timestamp without time zone", "timestamp"), Map.entry("timetz", "time with time zone"),
			Map.entry("time without time zone", "time"));

	private static final Pattern MODIFIED = Pattern.compile("([a-z ]+?)\\s*(?:\\((\\d+)(?:,(\\d+))?\\))?");

	private ColumnTypes() {
	}

	/**
	 * Write a type's tokens as one normalised string: lower case, single spaces between
	 * words, no spaces around punctuation.
	 * @param tokens the tokens of the type
	 * @return the type, such as {@code varchar(32)}
	 */
	static String text(List<SqlToken> tokens) {
		StringBuilder text = new StringBuilder();
		SqlToken previous = null;
		for (SqlToken token : tokens) {
			boolean word = token.type() != SqlToken.Type.SYMBOL;
			if (previous != null && word && previous.type() != SqlToken.Type.SYMBOL) {
				text.append(' ');
			}
			text.append(token.type() == SqlToken.Type.WORD ? token.text().toLowerCase(Locale.ROOT) : token.text());
			previous = token;
		}
		return text.toString();
	}

	/**
	 * Return whether changing a column from one type to another needs no table rewrite:
	 * the same type, {@code varchar} to a longer (or unbounded) {@code varchar} or to
	 * {@code text}, {@code text} to unbounded {@code varchar}, {@code numeric} to a larger
	 * precision of the same scale or to unbounded {@code numeric}.
	 * @param from the current type (as the catalog or a migration writes it)
	 * @param to the new type
	 * @return whether the change is safe
	 */
	static boolean isWidening(String from, String to) {
		Type current = Type.parse(from);
		Type target = Type.parse(to);
		if (current == null || target == null) {
			return false;
		}
		if (current.equals(target)) {
			return true;
		}
		return switch (current.name) {
			case "varchar" -> target.name.equals("text")
					|| (target.name.equals("varchar") && (target.length == null
							|| (current.length != null && target.length >= current.length)));
			case "text" -> target.name.equals("varchar") && target.length == null;
			case "numeric" -> target.name.equals("numeric") && (target.length == null
					|| (current.length != null && target.length >= current.length && target.scale == current.scale));
			default -> false;
		};
	}

	/**
	 * Return whether the lint can read a type well enough to compare it: a name with at
	 * most two integer modifiers, such as {@code numeric(12,2)}. A modifier too large for
	 * an {@code integer} (which PostgreSQL refuses too) makes a type unreadable.
	 * @param type the type
	 * @return whether {@link #isWidening} can judge a change to or from it
	 */
	static boolean isReadable(String type) {
		return Type.parse(type) != null;
	}

	private record Type(String name, @Nullable Integer length, @Nullable Integer scale) {

		static @Nullable Type parse(String type) {
			Matcher matcher = MODIFIED.matcher(type.strip().toLowerCase(Locale.ROOT).replace(" (", "("));
			if (!matcher.matches()) {
				return null;
			}
			String name = matcher.group(1).strip();
			name = ALIASES.getOrDefault(name, name);
			Integer length = modifier(matcher.group(2));
			Integer scale = (matcher.group(3) != null) ? modifier(matcher.group(3))
					: (name.equals("numeric") && length != null) ? Integer.valueOf(0) : null;
			if ((matcher.group(2) != null && length == null) || (matcher.group(3) != null && scale == null)) {
				return null;
			}
			return new Type(name, length, scale);
		}

		/**
		 * Read a type modifier; {@code varchar(99999999999)} has one that no
		 * {@code integer} holds, so the type is not one the lint can compare.
		 */
		private static @Nullable Integer modifier(@Nullable String digits) {
			if (digits == null) {
				return null;
			}
			try {
				return Integer.valueOf(digits);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
