package io.apiforge.migrations.operations.failing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import io.apiforge.migrations.rollback.UndoableJavaMigration;

/**
 * A Java migration whose undo fails with an unchecked I/O error (as reading a resource
 * can), not with a SQL error.
 */
public class V4__Add_notes_undo_unreadable extends BaseJavaMigration implements UndoableJavaMigration {

	@Override
	public void migrate(Context context) throws Exception {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("CREATE TABLE notes (id int PRIMARY KEY)");
		}
	}

	@Override
	public void undo(Context context) {
		throw new UncheckedIOException(new IOException("notes-undo.sql: stream closed"));
	}

}
