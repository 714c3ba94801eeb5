package io.apiforge.migrations.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Questions about the catalog's relations.
 *
 * @author apiforge
 */
public final class Relations {

	private Relations() {
	}

	/**
	 * Return whether a table (or any relation) exists, as the connection's
	 * {@code search_path} resolves an unqualified name.
	 * @param connection a connection
	 * @param quotedName the name, quoted as it is used in SQL, qualified or not (see
	 * {@link SqlIdentifiers})
	 * @return whether it exists
	 * @throws SQLException when the catalog cannot be read
	 */
	public static boolean exists(Connection connection, String quotedName) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
			statement.setString(1, quotedName);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	/**
	 * Create one of the starter's tables with {@code IF NOT EXISTS}, and comment it; a
	 * table another session created at the same moment counts as created (see
	 * {@link SqlStates#isCreatedConcurrently}).
	 * @param connection a connection in auto-commit mode
	 * @param quotedName the table's name, quoted as it is used in SQL
	 * @param columns the column definitions, without the parentheses
	 * @param comment what the table is, as plain text (quoted here)
	 * @throws SQLException when it cannot be created
	 */
	public static void createTable(Connection connection, String quotedName, String columns, String comment)
			throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS " + quotedName + " (" + columns + ")");
			statement.execute("COMMENT ON TABLE " + quotedName + " IS '" + comment.replace("'", "''") + "'");
		}
		catch (SQLException ex) {
			if (!SqlStates.isCreatedConcurrently(ex)) {
				throw ex;
			}
		}
	}

}
