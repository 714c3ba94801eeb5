package io.apiforge.migrations.backup.pgdump;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.apiforge.migrations.jdbc.SqlIdentifiers;

/**
 * The schemas a backup creates that a new database already has, empty: {@code public}
 * above all, which every new database holds and a schema-scoped dump of it creates
 * again, so that a restore with {@code --exit-on-error} would stop on it. Dropping such a
 * schema first loses nothing (it holds no object); a schema that holds anything is left
 * alone, and the restore then says why it cannot go on.
 *
 * @author apiforge
 */
final class EmptySchemasInTheWay {

	private static final Log logger = LogFactory.getLog(EmptySchemasInTheWay.class);

	private static final String EMPTY_SCHEMAS = """
			SELECT n.nspname, quote_ident(n.nspname) FROM pg_namespace n
			WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
			AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid)
			AND NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid)
			AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid)""";

	private EmptySchemasInTheWay() {
	}

	/**
	 * Drop the empty schemas of the target that the backup creates.
	 * @param target the database to restore into
	 * @param created the lines that tell what the backup creates: {@code pg_restore --list}
	 * for an archive, the script itself for a plain backup
	 * @param plain whether the lines are a plain script
	 * @return the schemas dropped
	 * @throws SQLException when the target cannot be read or changed
	 */
	static List<String> drop(DataSource target, List<String> created, boolean plain) throws SQLException {
		List<String> dropped = new ArrayList<>();
		try (Connection connection = target.getConnection(); Statement statement = connection.createStatement()) {
			Map<String, String> empty = new LinkedHashMap<>();
			try (ResultSet result = statement.executeQuery(EMPTY_SCHEMAS)) {
				while (result.next()) {
					empty.put(result.getString(1), result.getString(2));
				}
			}
			List<String> names = new ArrayList<>(empty.keySet());
			// Longest first: in a listing, "SCHEMA - app x" must not be taken for "app".
			names.sort(Comparator.comparingInt(String::length).reversed());
			for (String name : names) {
				if (isCreated(created, name, empty.get(name), plain)) {
					statement.execute("DROP SCHEMA " + SqlIdentifiers.quote(name));
					dropped.add(name);
					logger.info("Dropped the empty schema \"" + name + "\" of the target: the backup creates it");
				}
			}
		}
		return dropped;
	}

	private static boolean isCreated(List<String> created, String name, String quoted, boolean plain) {
		String prefix = plain ? "CREATE SCHEMA " + quoted + ";" : "SCHEMA - " + name + " ";
		for (String line : created) {
			String entry = plain ? line.strip() : line.replaceFirst("^\\d+; \\d+ \\d+ ", "");
			if (entry.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Read the statements of a plain script that create schemas.
	 * @param script the script
	 * @return its {@code CREATE SCHEMA} lines
	 * @throws IOException when it cannot be read
	 */
	static List<String> createSchemaLines(Path script) throws IOException {
		List<String> lines = new ArrayList<>();
		// Replace what is not UTF-8 rather than fail: only schema names are looked for.
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(script),
				StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("CREATE SCHEMA ")) {
					lines.add(line);
				}
			}
		}
		return lines;
	}

}
