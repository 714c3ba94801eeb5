package io.apiforge.migrations.backup;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/**
 * Tells whether a database holds anything a backup would protect.
 *
 * @author apiforge
 */
public final class DatabaseContents {

	private DatabaseContents() {
	}

	/**
	 * Return whether a database has nothing a backup would protect. With
	 * {@code wholeDatabase}, any table, view or sequence in any schema that is not the
	 * system's counts (except those an extension creates, which a dump does not hold);
	 * otherwise only those in the given schemas (or the connection's current schema).
	 * @param dataSource the database
	 * @param schemas the schemas Flyway manages; the connection's current schema when
	 * empty
	 * @param wholeDatabase whether the backup would cover the whole database
	 * @return whether there is nothing to lose
	 * @throws SQLException when the catalog cannot be read
	 */
	public static boolean isEmpty(DataSource dataSource, List<String> schemas, boolean wholeDatabase)
			throws SQLException {
		if (!wholeDatabase) {
			return isEmpty(dataSource, schemas);
		}
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_class c "
						+ "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
						+ "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
						+ "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
						+ "AND d.objid = c.oid AND d.deptype = 'e')");
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getLong(1) == 0;
		}
	}

	/**
	 * Say where {@link #isEmpty(DataSource, List)} looked, for a log line.
	 * @param schemas the schemas it looked into; the connection's current schema when
	 * empty
	 * @return {@code the default schema} or {@code schemas app, audit}
	 */
	public static String describe(List<String> schemas) {
		return schemas.isEmpty() ? "the default schema" : "schemas " + String.join(", ", schemas);
	}

	/**
	 * Return whether the schemas hold no table, view or sequence at all (not even a
	 * schema history table): such a database has nothing to lose.
	 * @param dataSource the database
	 * @param schemas the schemas to look into; the connection's current schema when empty
	 * @return whether the schemas are empty
	 * @throws SQLException when the catalog cannot be read
	 */
	public static boolean isEmpty(DataSource dataSource, List<String> schemas) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			String sql = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
					+ "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND "
					+ (schemas.isEmpty() ? "n.nspname = current_schema()" : "n.nspname = ANY (?)");
			try (PreparedStatement statement = connection.prepareStatement(sql)) {
				if (!schemas.isEmpty()) {
					Array names = connection.createArrayOf("text", schemas.toArray());
					statement.setArray(1, names);
				}
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					return result.getLong(1) == 0;
				}
			}
		}
	}

}
