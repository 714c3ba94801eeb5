package io.apiforge.migrations.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

}
