package io.apiforge.migrations.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.jdbc.JsonStrings;

/**
 * Renders the few value types of a backup's metadata sidecar as JSON (text, quoted by
 * {@link JsonStrings}, numbers, booleans, lists of text, nested objects), writes it, and
 * reads its fields back, for the built-in strategies alike.
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
			.map((field) -> indent + JsonStrings.quote(field.getKey()) + ": " + value(field.getValue(), indent + "  "))
			.collect(Collectors.joining(",\n", "{\n", "\n" + indent.substring(Math.min(2, indent.length())) + "}"));
	}

	/**
	 * Write a backup's sidecar ({@code <backup>.json}) atomically: into a locked,
	 * owner-only partial file, forced to disk, renamed into place.
	 * @param directory the backup directory
	 * @param backupFileName the backup's file name
	 * @param json the sidecar
	 * @return the sidecar
	 * @throws IOException when it cannot be written
	 */
	public static Path write(Path directory, String backupFileName, String json) throws IOException {
		Path target = directory.resolve(BackupFileName.metadata(backupFileName));
		Path partial = directory.resolve(BackupFileName.partial(target.getFileName().toString()));
		Files.deleteIfExists(partial);
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		try (LockedFile file = LockedFile.create(partial)) {
			file.write(bytes, 0, bytes.length);
			file.force();
			return Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(partial);
		}
	}

	/**
	 * Read a text field of a sidecar written by this class.
	 * @param json the sidecar
	 * @param field the field's name
	 * @return its value, or {@code null} when it is missing or {@code null}
	 */
	public static @Nullable String text(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
		return matcher.find() ? unquote(matcher.group(1)) : null;
	}

	/**
	 * Read a number or boolean field of a sidecar written by this class.
	 * @param json the sidecar
	 * @param field the field's name
	 * @return its value as written, or {@code null} when it is missing
	 */
	public static @Nullable String raw(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\": ([^,\\n\"]+)").matcher(json);
		return matcher.find() ? matcher.group(1).strip() : null;
	}

	private static String unquote(String quoted) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < quoted.length(); i++) {
			char c = quoted.charAt(i);
			if (c != '\\' || i + 1 == quoted.length()) {
				text.append(c);
				continue;
			}
			char escaped = quoted.charAt(++i);
			switch (escaped) {
				case 'n' -> text.append('\n');
				case 'r' -> text.append('\r');
				case 't' -> text.append('\t');
				case 'u' -> {
					text.append((char) Integer.parseInt(quoted.substring(i + 1, i + 5), 16));
					i += 4;
				}
				default -> text.append(escaped);
			}
		}
		return text.toString();
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
			return list.stream()
				.map((item) -> JsonStrings.quote(String.valueOf(item)))
				.collect(Collectors.joining(", ", "[", "]"));
		}
		if (value instanceof Map<?, ?> map) {
			return map.isEmpty() ? "{}" : object((Map<String, ?>) map, indent);
		}
		return JsonStrings.quote(value.toString());
	}

}
