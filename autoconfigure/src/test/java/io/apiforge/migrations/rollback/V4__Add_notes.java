package io.apiforge.migrations.rollback;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A Java migration that undoes itself, registered as a bean in the tests.
 */
public class V4__Add_notes extends BaseJavaMigration implements UndoableJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("CREATE TABLE notes (id int PRIMARY KEY, text text)");
			statement.execute("INSERT INTO notes VALUES (1, 'from java')");
		}
	}

	@Override
	public void undo(Context context) throws Exception {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("DROP TABLE notes");
		}
	}

}
