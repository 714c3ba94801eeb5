package io.apiforge.migrations.backup.jdbc;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Renders the sidecar's few value types as JSON.
 *
 * @author apiforge
 */
final class Json {

	private Json() {
	}

	static String object(Map<String, ?> fields, String indent) {
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

	static String quote(String value) {
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
