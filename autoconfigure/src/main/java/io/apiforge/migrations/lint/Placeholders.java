package io.apiforge.migrations.lint;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.flywaydb.core.api.configuration.Configuration;

/**
 * Replaces Flyway placeholders in a script the way Flyway does before it runs it: the
 * configured ones ({@code spring.flyway.placeholders.*}) and Flyway's own
 * {@code flyway:defaultSchema}, {@code flyway:table} and {@code flyway:filename}. A
 * placeholder it does not know stays as written, and the statement using it is passed
 * over rather than guessed at.
 *
 * @author apiforge
 */
final class Placeholders {

	private Placeholders() {
	}

	/**
	 * Replace the placeholders of a script.
	 * @param sql the script as written
	 * @param script its name
	 * @param configuration the Flyway configuration
	 * @return the script as Flyway runs it
	 */
	static String replace(String sql, String script, Configuration configuration) {
		if (!configuration.isPlaceholderReplacement()) {
			return sql;
		}
		Map<String, String> values = new HashMap<>();
		configuration.getPlaceholders().forEach((key, value) -> values.put(key.toLowerCase(Locale.ROOT), value));
		String defaultSchema = configuration.getDefaultSchema();
		if (defaultSchema == null && configuration.getSchemas().length > 0) {
			defaultSchema = configuration.getSchemas()[0];
		}
		if (defaultSchema != null) {
			values.put("flyway:defaultschema", defaultSchema);
		}
		values.put("flyway:table", configuration.getTable());
		values.put("flyway:filename", script.substring(script.lastIndexOf('/') + 1));
		return replace(sql, configuration.getPlaceholderPrefix(), configuration.getPlaceholderSuffix(), values);
	}

	static String replace(String sql, String prefix, String suffix, Map<String, String> values) {
		StringBuilder replaced = new StringBuilder();
		int position = 0;
		while (true) {
			int start = sql.indexOf(prefix, position);
			int end = (start < 0) ? -1 : sql.indexOf(suffix, start + prefix.length());
			if (end < 0) {
				return replaced.append(sql, position, sql.length()).toString();
			}
			String key = sql.substring(start + prefix.length(), end);
			String value = values.get(key.toLowerCase(Locale.ROOT));
			replaced.append(sql, position, start).append((value != null) ? value : sql.substring(start, end + suffix.length()));
			position = end + suffix.length();
		}
	}

}
