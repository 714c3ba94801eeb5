package io.apiforge.migrations.jdbc;

/**
 * Quotes text as a JSON string, for the few JSON files the starter writes without a JSON
 * library (backup sidecars, schema fingerprints). The escaping is canonical, so equal
 * text gives equal bytes: {@code "} and {@code \} escaped with a backslash, newline and
 * tab as {@code \n} and {@code \t}, every other control character (carriage return
 * included) as {@code \}{@code u00XX} in lower-case hex, anything else as it is.
 *
 * @author apiforge
 */
public final class JsonStrings {

	private JsonStrings() {
	}

	/**
	 * Quote text as a JSON string.
	 * @param value the text
	 * @return the JSON string, quotes included
	 */
	public static String quote(String value) {
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c == '\n') {
				quoted.append("\\n");
			}
			else if (c == '\t') {
				quoted.append("\\t");
			}
			else if (c < 0x20) {
				quoted.append(String.format("\\u%04x", (int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
