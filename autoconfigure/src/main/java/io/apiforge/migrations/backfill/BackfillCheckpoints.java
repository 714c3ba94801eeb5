package io.apiforge.migrations.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.jdbc.Relations;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.jdbc.SqlStates;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * The table of backfill checkpoints, beside the schema history table, in its schema and
 * named after it ({@code flyway_schema_history_backfills}): one row per backfill in
 * progress, written in the same transaction as each batch, so that it always names the
 * last batch that committed. A finished backfill removes its row: a migration run again
 * (after an undo, say) starts from the beginning.
 *
 * @author apiforge
 */
public class BackfillCheckpoints {

	/** What the table's name adds to the history table's. */
	public static final String SUFFIX = SchemaHistory.BACKFILLS_SUFFIX;

	private final String qualifiedTable;

	/**
	 * Create the handle.
	 * @param schema the schema of the history table, or {@code null} for the connection's
	 * current schema
	 * @param historyTable the history table's name, unqualified
	 */
	public BackfillCheckpoints(@Nullable String schema, String historyTable) {
		Assert.hasText(historyTable, "'historyTable' must not be empty");
		this.qualifiedTable = SqlIdentifiers.quoteInSchema(schema, tableName(historyTable));
	}

	/**
	 * Return the name of the checkpoints' table beside a history table.
	 * @param historyTable the history table's name, unqualified
	 * @return the name, unqualified
	 */
	public static String tableName(String historyTable) {
		return historyTable + SUFFIX;
	}

	/**
	 * Return the table, qualified and quoted.
	 * @return such as {@code "app"."flyway_schema_history_backfills"}
	 */
	public String qualifiedTable() {
		return this.qualifiedTable;
	}

	/**
	 * Return where a backfill stopped.
	 * @param connection a connection
	 * @param name the backfill's name
	 * @return its checkpoint, or {@code null} when it has none (never started, or
	 * finished)
	 * @throws SQLException when the table cannot be read
	 */
	public @Nullable Checkpoint read(Connection connection, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT last_key, rows_scanned, rows_updated, "
				+ "batches FROM " + this.qualifiedTable + " WHERE name = ?")) {
			statement.setString(1, name);
			try (ResultSet result = statement.executeQuery()) {
				return result.next()
						? new Checkpoint(result.getString(1), result.getLong(2), result.getLong(3), result.getLong(4))
						: null;
			}
		}
		catch (SQLException ex) {
			if (SqlStates.isUndefinedTable(ex)) {
				return null;
			}
			throw ex;
		}
	}

	/**
	 * Create the table when it is missing, in its own transaction.
	 * @param connection a connection in auto-commit mode
	 * @throws SQLException when it cannot be created
	 */
	public void createIfMissing(Connection connection) throws SQLException {
		if (Relations.exists(connection, this.qualifiedTable)) {
			return;
		}
		Relations.createTable(connection, this.qualifiedTable, "name text PRIMARY KEY, last_key text NOT NULL, "
				+ "rows_scanned bigint NOT NULL, rows_updated bigint NOT NULL, batches bigint NOT NULL, "
				+ "updated_at timestamp with time zone NOT NULL",
				"Checkpoints of batched backfills in progress (io.apiforge.migrations.backfill): "
						+ "a row goes when its backfill finishes");
	}

	/**
	 * Record that a batch committed: call it in the batch's transaction.
	 * @param connection the batch's connection
	 * @param name the backfill's name
	 * @param checkpoint where it is now
	 * @throws SQLException when it cannot be written
	 */
	public void write(Connection connection, String name, Checkpoint checkpoint) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("INSERT INTO " + this.qualifiedTable
				+ " (name, last_key, rows_scanned, rows_updated, batches, updated_at)"
				+ " VALUES (?, ?, ?, ?, ?, clock_timestamp()) ON CONFLICT (name) DO UPDATE SET"
				+ " last_key = excluded.last_key, rows_scanned = excluded.rows_scanned,"
				+ " rows_updated = excluded.rows_updated, batches = excluded.batches, updated_at = excluded.updated_at")) {
			statement.setString(1, name);
			statement.setString(2, checkpoint.lastKey());
			statement.setLong(3, checkpoint.rowsScanned());
			statement.setLong(4, checkpoint.rowsUpdated());
			statement.setLong(5, checkpoint.batches());
			statement.executeUpdate();
		}
	}

	/**
	 * Remove a finished backfill's checkpoint.
	 * @param connection a connection
	 * @param name the backfill's name
	 * @throws SQLException when it cannot be removed
	 */
	public void remove(Connection connection, String name) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("DELETE FROM " + this.qualifiedTable + " WHERE name = ?")) {
			statement.setString(1, name);
			statement.executeUpdate();
		}
		catch (SQLException ex) {
			if (!SqlStates.isUndefinedTable(ex)) {
				throw ex;
			}
		}
	}

	/**
	 * Where a backfill stands after its last committed batch.
	 *
	 * @param lastKey the key of the last row that batch walked past, as text
	 * @param rowsScanned the rows walked past so far
	 * @param rowsUpdated the rows changed so far
	 * @param batches the batches committed so far
	 */
	public record Checkpoint(String lastKey, long rowsScanned, long rowsUpdated, long batches) {

	}

}
