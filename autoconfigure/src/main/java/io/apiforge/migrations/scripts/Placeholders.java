package io.apiforge.migrations.scripts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Replaces Flyway placeholders in a SQL script the way Flyway 11 does before it runs it
 * (its {@code PlaceholderReplacingReader} and {@code ParsingContext}), so that what the
 * lint reads and what an undo runs is what Flyway would run:
 * <ul>
 * <li>the configured ones ({@code spring.flyway.placeholders.*}), and Flyway's built-in
 * {@code flyway:defaultSchema}, {@code flyway:user}, {@code flyway:database},
 * {@code flyway:timestamp}, {@code flyway:filename}, {@code flyway:workingDirectory},
 * {@code flyway:table} and {@code flyway:environment} (with Flyway's
 * {@code placeholderSeparator} in place of {@code :});</li>
 * <li>names match whatever their case ({@code ${Table}} is {@code ${table}}), as
 * Flyway's map of placeholders ignores case;</li>
 * <li>every {@code placeholderPrefix} starts a placeholder, in comments and literals
 * too, and one without a value is an error;</li>
 * <li>nothing is replaced when {@code spring.flyway.placeholder-replacement=false}.</li>
 * </ul>
 * The built-ins that need the database (the user, the database, and the default schema
 * when none is configured) are read once, on first use, through the configuration's
 * data source.
 *
 * @author apiforge
 */
public final class Placeholders {

	private static final String TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss";

	private final Configuration configuration;

	private final Map<String, @Nullable String> values = new HashMap<>();

	private @Nullable Map<String, @Nullable String> databaseValues;

	private Placeholders(Configuration configuration) {
		this.configuration = configuration;
		configuration.getPlaceholders().forEach((key, value) -> this.values.put(lowerCase(key), value));
		// Flyway puts its own after the configured ones: a configured flyway:table loses.
		String defaultSchema = configuration.getDefaultSchema();
		if (defaultSchema == null && configuration.getSchemas().length > 0) {
			defaultSchema = configuration.getSchemas()[0];
		}
		if (defaultSchema != null) {
			this.values.put(builtIn("defaultSchema"), defaultSchema);
		}
		this.values.put(builtIn("timestamp"), new SimpleDateFormat(TIMESTAMP_FORMAT).format(new Date()));
		this.values.put(builtIn("workingDirectory"), (configuration.getWorkingDirectory() != null)
				? configuration.getWorkingDirectory() : System.getProperty("user.dir"));
		this.values.put(builtIn("table"), configuration.getTable());
		this.values.put(builtIn("environment"), configuration.getCurrentEnvironmentName());
	}

	/**
	 * Return the placeholders of a Flyway configuration.
	 * @param configuration the configuration
	 * @return its placeholders
	 */
	public static Placeholders of(Configuration configuration) {
		Assert.notNull(configuration, "'configuration' must not be null");
		return new Placeholders(configuration);
	}

	/**
	 * Replace the placeholders of a script as Flyway does: a placeholder without a value
	 * is an error.
	 * @param sql the script as written
	 * @param script its name (its file name is {@code flyway:filename})
	 * @return the script as Flyway runs it
	 * @throws UnknownPlaceholderException when a placeholder has no value
	 */
	public String replace(String sql, String script) {
		return replace(sql, script, true);
	}

	/**
	 * Replace the placeholders of a script that have a value, and leave the others as
	 * written, for a reader (such as the lint) that passes over what it cannot know
	 * rather than fail where Flyway itself will say what is missing.
	 * @param sql the script as written
	 * @param script its name
	 * @return the script with the placeholders that have a value replaced
	 */
	public String replaceKnown(String sql, String script) {
		return replace(sql, script, false);
	}

	private String replace(String sql, String script, boolean strict) {
		if (!this.configuration.isPlaceholderReplacement()) {
			return sql;
		}
		String prefix = this.configuration.getPlaceholderPrefix();
		String suffix = this.configuration.getPlaceholderSuffix();
		StringBuilder replaced = new StringBuilder();
		int position = 0;
		while (true) {
			int start = sql.indexOf(prefix, position);
			if (start < 0) {
				return replaced.append(sql, position, sql.length()).toString();
			}
			int end = sql.indexOf(suffix, start + prefix.length());
			String name = sql.substring(start + prefix.length(), (end < 0) ? sql.length() : end);
			String key = lowerCase(name);
			if (end >= 0 && has(key)) {
				String value = key.equals(builtIn("filename")) ? filename(script) : value(key);
				// Like Flyway, a placeholder whose value is null (no current schema) is removed.
				replaced.append(sql, position, start).append((value != null) ? value : "");
				position = end + suffix.length();
				continue;
			}
			if (strict) {
				throw unknown(sql, script, start, name, end >= 0);
			}
			int next = (end < 0) ? sql.length() : end + suffix.length();
			replaced.append(sql, position, next);
			position = next;
		}
	}

	private boolean has(String key) {
		return this.values.containsKey(key) || key.equals(builtIn("filename"))
				|| (isReadFromDatabase(key) && databaseValues().containsKey(key));
	}

	private boolean isReadFromDatabase(String key) {
		return key.equals(builtIn("user")) || key.equals(builtIn("database")) || key.equals(builtIn("defaultSchema"));
	}

	private @Nullable String value(String key) {
		if (this.values.containsKey(key)) {
			return this.values.get(key);
		}
		return databaseValues().get(key);
	}

	private UnknownPlaceholderException unknown(String sql, String script, int start, String name, boolean terminated) {
		String prefix = this.configuration.getPlaceholderPrefix();
		String suffix = this.configuration.getPlaceholderSuffix();
		int line = (int) sql.substring(0, start).chars().filter((c) -> c == '\n').count() + 1;
		String where = script + " (line " + line + ")";
		if (!terminated) {
			String text = sql.substring(start, Math.min(sql.length(), start + 40)).split("\\R")[0];
			return new UnknownPlaceholderException(where + " opens a placeholder '" + text + "…' that never ends with '"
					+ suffix + "': Flyway would refuse to run it.",
					"Close the placeholder in " + script + ", or, when '" + prefix + "' is meant literally, set "
							+ "spring.flyway.placeholder-prefix to something the script does not use (or "
							+ "spring.flyway.placeholder-replacement=false).",
					script, name);
		}
		String placeholder = prefix + name + suffix;
		if (builtInNames().stream().anyMatch(name::equalsIgnoreCase)) {
			return new UnknownPlaceholderException(where + " uses " + placeholder
					+ ", which Flyway could not give a value on this database: Flyway would refuse to run it.",
					"Set spring.flyway.default-schema (or spring.flyway.schemas), or remove " + placeholder + " from "
							+ script + ".",
					script, name);
		}
		if (lowerCase(name).startsWith(builtIn(""))) {
			return new UnknownPlaceholderException(where + " uses " + placeholder
					+ ", which is not one of Flyway's built-in placeholders (" + String.join(", ", builtInNames())
					+ "): Flyway would refuse to run it.", "Use one of Flyway's built-in placeholders in " + script + ".",
					script, name);
		}
		return new UnknownPlaceholderException(where + " uses the placeholder " + placeholder
				+ ", which has no value: Flyway would refuse to run it.",
				"Set spring.flyway.placeholders." + name + " (names match whatever their case), or remove " + placeholder
						+ " from " + script + ".",
				script, name);
	}

	private List<String> builtInNames() {
		return List.of("defaultSchema", "user", "database", "timestamp", "filename", "workingDirectory", "table",
				"environment")
			.stream()
			.map((name) -> "flyway" + this.configuration.getPlaceholderSeparator() + name)
			.toList();
	}

	/**
	 * The built-ins Flyway reads from the connection ({@code ParsingContext.populate}):
	 * read once, and only when a script uses a name that is not otherwise known.
	 */
	private Map<String, @Nullable String> databaseValues() {
		if (this.databaseValues == null) {
			Map<String, @Nullable String> read = new HashMap<>();
			try (Connection connection = this.configuration.getDataSource().getConnection();
					Statement statement = connection.createStatement();
					ResultSet result = statement
						.executeQuery("SELECT current_user, current_database(), current_schema()")) {
				result.next();
				read.put(builtIn("user"), result.getString(1));
				read.put(builtIn("database"), result.getString(2));
				if (!this.values.containsKey(builtIn("defaultSchema")) && result.getString(3) != null) {
					read.put(builtIn("defaultSchema"), result.getString(3));
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(
						"Could not read the current user, database and schema for Flyway's placeholders: "
								+ ex.getMessage(),
						ex);
			}
			this.databaseValues = read;
		}
		return this.databaseValues;
	}

	private String filename(String script) {
		return script.substring(script.lastIndexOf('/') + 1);
	}

	private String builtIn(String name) {
		return lowerCase("flyway" + this.configuration.getPlaceholderSeparator() + name);
	}

	private static String lowerCase(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

}
