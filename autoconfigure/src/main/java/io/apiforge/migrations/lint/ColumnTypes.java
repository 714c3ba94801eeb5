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

	private record Type(String name, @Nullable Integer length, @Nullable Integer scale) {

		static @Nullable Type parse(String type) {
			Matcher matcher = MODIFIED.matcher(type.strip().toLowerCase(Locale.ROOT).replace(" (", "("));
			if (!matcher.matches()) {
				return null;
			}
			String name = matcher.group(1).strip();
			name = ALIASES.getOrDefault(name, name);
			Integer length = (matcher.group(2) != null) ? Integer.valueOf(matcher.group(2)) : null;
			Integer scale = (matcher.group(3) != null) ? Integer.valueOf(matcher.group(3))
					: (name.equals("numeric") && length != null) ? 0 : null;
			return new Type(name, length, scale);
		}

	}

}
