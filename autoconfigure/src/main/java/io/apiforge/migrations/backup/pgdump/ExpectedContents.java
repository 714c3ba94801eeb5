package io.apiforge.migrations.backup.pgdump;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.postgresql.core.Encoding;

import io.apiforge.migrations.backup.BackupException;

/**
 * What a dump must hold, read from the database just before {@code pg_dump} runs: for
 * {@link BackupScope#SCHEMAS}, exactly the schemas Flyway manages (the connection's
 * current schema, Flyway's default, when none is configured); for
 * {@link BackupScope#DATABASE}, at least every schema that holds a table, view or
 * sequence of its own (not an extension's). After the dump, {@link #check} compares it
 * with the archive's table of contents.
 *
 * @param scope what is backed up
 * @param schemas the schemas to name to {@code pg_dump --schema}; empty for the whole
 * database
 * @param required the schemas the archive must hold
 * @param namespaces every schema of the database by OID, to read the archive with
 * @param charset the encoding of the names in {@code pg_dump}'s output (the server's)
 * @param serverVersion the server's version, such as {@code 15.18}
 * @author apiforge
 */
record ExpectedContents(BackupScope scope, List<String> schemas, Set<String> required, Map<Long, String> namespaces,
		Charset charset, String serverVersion) {

	private static final String USER_SCHEMAS = "SELECT DISTINCT n.nspname FROM pg_class c "
			+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
			+ "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
			+ "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
			+ "AND d.objid = c.oid AND d.deptype = 'e')";

	/**
	 * Read what a dump of a database must hold.
	 * @param dataSource the database
	 * @param scope what is backed up
	 * @param requested the schemas Flyway manages; empty for its default schema
	 * @return what the dump must hold
	 * @throws BackupException when the database cannot be read, or there is no schema to
	 * back up
	 */
	static ExpectedContents read(DataSource dataSource, BackupScope scope, List<String> requested) {
		try (Connection connection = dataSource.getConnection()) {
			String serverVersion = single(connection, "SHOW server_version").split(" ")[0];
			Charset charset = charset(single(connection, "SHOW server_encoding"));
			Map<Long, String> namespaces = new LinkedHashMap<>();
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT oid, nspname FROM pg_namespace")) {
				while (result.next()) {
					namespaces.put(result.getLong(1), result.getString(2));
				}
			}
			if (scope == BackupScope.DATABASE) {
				return new ExpectedContents(scope, List.of(), strings(connection, USER_SCHEMAS), namespaces, charset,
						serverVersion);
			}
			List<String> schemas = requested.isEmpty() ? currentSchema(connection) : List.copyOf(requested);
			return new ExpectedContents(scope, schemas, new LinkedHashSet<>(schemas), namespaces, charset,
					serverVersion);
		}
		catch (SQLException ex) {
			throw new BackupException("Could not read the database's schemas before backing up: " + ex.getMessage(),
					"Check that the database is reachable with the application's credentials.", ex);
		}
	}

	private static List<String> currentSchema(Connection connection) throws SQLException {
		String schema = single(connection, "SELECT current_schema()");
		if (schema == null) {
			throw new BackupException(
					"migrations.backup.scope=schemas, but there is no schema to back up: spring.flyway.schemas is not set "
							+ "and the connection has no current schema (no schema of its search_path exists)",
					"Set spring.flyway.schemas (or spring.flyway.default-schema), or give the database user a search_path "
							+ "that names an existing schema.",
					null);
		}
		return List.of(schema);
	}

	/**
	 * Check an archive's schemas against what it must hold.
	 * @param found the schemas the archive's table of contents names
	 * @return the schemas the archive holds, in the order of {@link #schemas()} for a
	 * schema-scoped dump, sorted otherwise
	 * @throws IncompleteBackupException when a schema is missing, or a schema-scoped
	 * dump holds one it should not
	 */
	List<String> check(Set<String> found) {
		Set<String> missing = new TreeSet<>(this.required);
		missing.removeAll(found);
		if (!missing.isEmpty()) {
			throw (this.scope == BackupScope.SCHEMAS)
					? new IncompleteBackupException("The backup does not hold schema " + quoted(missing)
							+ " although migrations.backup.scope=schemas asked for " + quoted(this.required)
							+ "; its table of contents names " + (found.isEmpty() ? "no schema" : quoted(found))
							+ ". The backup was discarded",
							"Check that spring.flyway.schemas names the schemas exactly as the database does (case "
									+ "included), and that " + PgDumpBackupStrategy.PATH_PROPERTY
									+ " is an unmodified pg_dump; then start again.")
					: new IncompleteBackupException("The backup of the whole database does not hold schema "
							+ quoted(missing) + ", which holds tables; its table of contents names "
							+ (found.isEmpty() ? "no schema" : quoted(found)) + ". The backup was discarded",
							"Check that " + PgDumpBackupStrategy.PATH_PROPERTY
									+ " is an unmodified pg_dump and that no option excludes schemas; then start again.");
		}
		if (this.scope == BackupScope.SCHEMAS) {
			Set<String> unexpected = new TreeSet<>(found);
			unexpected.removeAll(this.required);
			if (!unexpected.isEmpty()) {
				throw new IncompleteBackupException("The backup holds schema " + quoted(unexpected)
						+ " although migrations.backup.scope=schemas asked for " + quoted(this.required)
						+ " only. The backup was discarded",
						"Check that " + PgDumpBackupStrategy.PATH_PROPERTY + " is an unmodified pg_dump; then start again.");
			}
			return this.schemas;
		}
		return new ArrayList<>(new TreeSet<>(found));
	}

	private static String quoted(Set<String> names) {
		return String.join(", ", names.stream().map((name) -> "\"" + name + "\"").toList());
	}

	private static Charset charset(String serverEncoding) {
		try {
			return Charset.forName(Encoding.getDatabaseEncoding(serverEncoding).name());
		}
		catch (RuntimeException ex) {
			// An encoding Java does not know: names are compared as UTF-8, which covers ASCII.
			return StandardCharsets.UTF_8;
		}
	}

	private static String single(Connection connection, String sql) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getString(1);
		}
	}

	private static Set<String> strings(Connection connection, String sql) throws SQLException {
		Set<String> values = new TreeSet<>();
		try (PreparedStatement statement = connection.prepareStatement(sql);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				values.add(result.getString(1));
			}
		}
		return values;
	}

}
