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
