package io.apiforge.migrations.fingerprint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.jdbc.JsonStrings;

/**
 * Writes a {@link SchemaFingerprint} as JSON and reads it back, with no JSON library: the
 * starter must not need one on the application's classpath, and the shape is small and
 * fixed. The output is canonical (fields in a fixed order, one object a line, no
 * variation in spacing or escaping), so equal fingerprints give equal bytes and a
 * textual diff of two files reads object by object.
 *
 * <pre>
 * {
 *   "format": 1,
 *   "postgresql": 15,
 *   "schemas": ["Sales", "public"],
 *   "objects": [
 *     {"kind": "schema", "identity": "\"Sales\"", "definition": ""},
 *     {"kind": "column", "identity": "\"Sales\".\"Customer\".email", "definition": "text"}
 *   ]
 * }
 * </pre>
 *
 * @author apiforge
 */
final class FingerprintJson {

	/**
	 * The version of the JSON's shape, written as {@code format}; a reader refuses
	 * others.
	 */
	static final int FORMAT = 1;

	private FingerprintJson() {
	}

	static String write(SchemaFingerprint fingerprint) {
		StringBuilder json = new StringBuilder("{\n");
		json.append("  \"format\": ").append(FORMAT).append(",\n");
		json.append("  \"postgresql\": ").append(fingerprint.postgresqlVersion()).append(",\n");
		json.append("  \"schemas\": ")
			.append(fingerprint.schemas().stream().map(FingerprintJson::quote).collect(Collectors.joining(", ", "[", "]")))
			.append(",\n");
		json.append("  \"objects\": [");
		if (!fingerprint.objects().isEmpty()) {
			json.append(fingerprint.objects()
				.stream()
				.map((object) -> "    " + object(object))
				.collect(Collectors.joining(",\n", "\n", "\n  ")));
		}
		return json.append("]\n}\n").toString();
	}

	static String object(SchemaObject object) {
		return "{\"kind\": " + quote(object.kind().label()) + ", \"identity\": " + quote(object.identity())
				+ ", \"definition\": " + quote(object.definition()) + "}";
	}

	static SchemaFingerprint read(String json) {
		Map<String, @Nullable Object> root = asObject(new Parser(json).document(), "the document");
		Object format = root.get("format");
		if (!(format instanceof Long number) || number != FORMAT) {
			throw new IllegalArgumentException("A fingerprint's JSON has \"format\": " + FORMAT + ", this has " + format
					+ "; it was written by another version of the starter: read it with that version");
		}
		List<String> schemas = new ArrayList<>();
		for (Object schema : asList(root.get("schemas"), "\"schemas\"")) {
			schemas.add(asString(schema, "a schema"));
		}
		List<SchemaObject> objects = new ArrayList<>();
		for (Object item : asList(root.get("objects"), "\"objects\"")) {
			Map<String, @Nullable Object> object = asObject(item, "an object");
			objects.add(new SchemaObject(ObjectKind.ofLabel(asString(object.get("kind"), "\"kind\"")),
					asString(object.get("identity"), "\"identity\""),
					asString(object.get("definition"), "\"definition\"")));
		}
		Object postgresql = root.get("postgresql");
		if (!(postgresql instanceof Long version)) {
			throw new IllegalArgumentException("A fingerprint's JSON has a number \"postgresql\", this has " + postgresql);
		}
		return new SchemaFingerprint(Math.toIntExact(version), schemas, objects);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> asObject(@Nullable Object value, String what) {
		if (value instanceof Map<?, ?> map) {
			return (Map<String, @Nullable Object>) map;
		}
		throw new IllegalArgumentException("A fingerprint's JSON has a JSON object as " + what + ", this has " + value);
	}

	private static List<?> asList(@Nullable Object value, String what) {
		if (value instanceof List<?> list) {
			return list;
		}
		throw new IllegalArgumentException("A fingerprint's JSON has an array as " + what + ", this has " + value);
	}

	private static String asString(@Nullable Object value, String what) {
		if (value instanceof String text) {
			return text;
		}
		throw new IllegalArgumentException("A fingerprint's JSON has a string as " + what + ", this has " + value);
	}

	private static String quote(String value) {
		return JsonStrings.quote(value);
	}

	/**
	 * A strict reader of the JSON values a fingerprint uses: objects, arrays, strings,
	 * whole numbers, {@code true}, {@code false} and {@code null}.
	 */
	private static final class Parser {

		private final String text;

		private int position;

		Parser(String text) {
			this.text = text;
		}

		@Nullable Object document() {
			Object value = value();
			skipWhitespace();
			if (this.position != this.text.length()) {
				throw error("nothing after the document");
			}
			return value;
		}

		private @Nullable Object value() {
			skipWhitespace();
			if (this.position >= this.text.length()) {
				throw error("a value");
			}
			char c = this.text.charAt(this.position);
			return switch (c) {
				case '{' -> object();
				case '[' -> array();
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> number();
			};
		}

		private Map<String, @Nullable Object> object() {
			Map<String, @Nullable Object> object = new LinkedHashMap<>();
			this.position++;
			if (peek() == '}') {
				this.position++;
				return object;
			}
			do {
				skipWhitespace();
				if (peek() != '"') {
					throw error("a field name");
				}
				String name = string();
				expect(':');
				object.put(name, value());
			}
			while (next(',', '}'));
			return object;
		}

		private List<@Nullable Object> array() {
			List<@Nullable Object> array = new ArrayList<>();
			this.position++;
			if (peek() == ']') {
				this.position++;
				return array;
			}
			do {
				array.add(value());
			}
			while (next(',', ']'));
			return array;
		}

		private String string() {
			StringBuilder string = new StringBuilder();
			this.position++;
			while (this.position < this.text.length()) {
				char c = this.text.charAt(this.position++);
				if (c == '"') {
					return string.toString();
				}
				if (c != '\\') {
					string.append(c);
					continue;
				}
				if (this.position >= this.text.length()) {
					break;
				}
				char escaped = this.text.charAt(this.position++);
				switch (escaped) {
					case '"', '\\', '/' -> string.append(escaped);
					case 'b' -> string.append('\b');
					case 'f' -> string.append('\f');
					case 'n' -> string.append('\n');
					case 'r' -> string.append('\r');
					case 't' -> string.append('\t');
					case 'u' -> {
						if (this.position + 4 > this.text.length()) {
							throw error("four hexadecimal digits");
						}
						string.append((char) Integer.parseInt(this.text.substring(this.position, this.position + 4), 16));
						this.position += 4;
					}
					default -> throw error("an escape such as \\n or \\u0041");
				}
			}
			throw error("the end of a string");
		}

		private Long number() {
			int start = this.position;
			if (peekRaw() == '-') {
				this.position++;
			}
			while (this.position < this.text.length() && Character.isDigit(this.text.charAt(this.position))) {
				this.position++;
			}
			try {
				return Long.valueOf(this.text.substring(start, this.position));
			}
			catch (NumberFormatException ex) {
				this.position = start;
				throw error("a value");
			}
		}

		private @Nullable Object literal(String word, @Nullable Object value) {
			if (!this.text.startsWith(word, this.position)) {
				throw error("a value");
			}
			this.position += word.length();
			return value;
		}

		private boolean next(char more, char end) {
			char c = peek();
			this.position++;
			if (c == more) {
				return true;
			}
			if (c == end) {
				return false;
			}
			this.position--;
			throw error("'" + more + "' or '" + end + "'");
		}

		private void expect(char expected) {
			if (peek() != expected) {
				throw error("'" + expected + "'");
			}
			this.position++;
		}

		private char peek() {
			skipWhitespace();
			return peekRaw();
		}

		private char peekRaw() {
			return (this.position < this.text.length()) ? this.text.charAt(this.position) : '\0';
		}

		private void skipWhitespace() {
			while (this.position < this.text.length() && " \t\r\n".indexOf(this.text.charAt(this.position)) >= 0) {
				this.position++;
			}
		}

		private IllegalArgumentException error(String expected) {
			return new IllegalArgumentException("A fingerprint's JSON is malformed: expected " + expected
					+ " at character " + this.position + " of " + this.text.length());
		}

	}

}
