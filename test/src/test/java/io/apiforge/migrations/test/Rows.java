package io.apiforge.migrations.test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads one value from a test's database, for assertions.
 */
final class Rows {

	private Rows() {
	}

	static Object queryForValue(Migrations migrations, String sql) {
		try (Connection connection = migrations.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getObject(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static long count(Migrations migrations, String table) {
		return ((Number) queryForValue(migrations, "SELECT count(*) FROM " + table)).longValue();
	}

}
