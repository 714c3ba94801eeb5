package io.apiforge.migrations.rollback.scanned;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import io.apiforge.migrations.rollback.UndoableJavaMigration;

/**
 * A Java migration that undoes itself, found by Flyway's scan of its locations (this
 * package), never registered as a bean.
 */
public class V2__Add_notes extends BaseJavaMigration implements UndoableJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("CREATE TABLE notes (id int PRIMARY KEY, text text)");
			statement.execute("INSERT INTO notes VALUES (1, 'from a scanned class')");
		}
	}

	@Override
	public void undo(Context context) throws Exception {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("DROP TABLE notes");
		}
	}

}
