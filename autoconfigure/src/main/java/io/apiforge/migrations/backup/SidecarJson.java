package io.apiforge.migrations.backup;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Renders the few value types of a backup's metadata sidecar as JSON (text, numbers,
 * booleans, lists of text, nested objects), for the built-in strategies alike.
 *
 * @author apiforge
 */
public final class SidecarJson {

	private SidecarJson() {
	}

	/**
	 * Render an object, one field a line.
	 * @param fields the fields, in order
	 * @param indent the indent of its fields
	 * @return the JSON
	 */
	public static String object(Map<String, ?> fields, String indent) {
		return fields.entrySet()
			.stream()
			.map((field) -> indent + quote(field.getKey()) + ": " + value(field.getValue(), indent + "  "))
			.collect(Collectors.joining(",\n", "{\n", "\n" + indent.substring(Math.min(2, indent.length())) + "}"));
	}

	@SuppressWarnings("unchecked")
	private static String value(@Nullable Object value, String indent) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof List<?> list) {
			return list.stream().map((item) -> quote(String.valueOf(item))).collect(Collectors.joining(", ", "[", "]"));
		}
		if (value instanceof Map<?, ?> map) {
			return map.isEmpty() ? "{}" : object((Map<String, ?>) map, indent);
		}
		return quote(value.toString());
	}

	private static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
