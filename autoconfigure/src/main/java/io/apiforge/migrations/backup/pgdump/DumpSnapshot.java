package io.apiforge.migrations.backup.pgdump;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.backup.BackupException;

/**
 * A snapshot of the database that {@code pg_dump} dumps ({@code --snapshot}) and in which
 * the rows of every table are counted, so that the counts are exactly what the dump holds
 * even while the application writes. It is a {@code REPEATABLE READ} transaction that
 * exports its snapshot ({@code pg_export_snapshot()}) and stays open until
 * {@code pg_dump} has finished: a snapshot can only be imported while the transaction
 * that exported it is open.
 *
 * @author apiforge
 */
final class DumpSnapshot implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DumpSnapshot.class);

	private final Connection connection;

	private final String id;

	private final TableRowCounts counts;

	private boolean closed;

	private DumpSnapshot(Connection connection, String id, TableRowCounts counts) {
		this.connection = connection;
		this.id = id;
		this.counts = counts;
	}

	/**
	 * Export a snapshot and count the rows of the dump's tables in it.
	 * @param dataSource the database
	 * @param schemas the schemas the dump holds, or an empty list for a whole database
	 * @return the snapshot; close it once {@code pg_dump} has finished
	 * @throws BackupException when it cannot be taken
	 */
	static DumpSnapshot export(DataSource dataSource, List<String> schemas) {
		Connection connection = null;
		try {
			connection = dataSource.getConnection();
			connection.setAutoCommit(false);
			connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
			connection.setReadOnly(true);
			long started = System.nanoTime();
			String id;
			try (Statement statement = connection.createStatement()) {
				// Open for as long as pg_dump runs: a server-side idle timeout must not end it.
				statement.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
				try (ResultSet result = statement.executeQuery("SELECT pg_export_snapshot()")) {
					result.next();
					id = result.getString(1);
				}
			}
			TableRowCounts counts = TableRowCounts.count(connection, schemas);
			logger.info("Counted " + counts.total() + " rows in " + counts.rows().size() + " tables in snapshot " + id
					+ " in " + DurationFormat.format(Duration.ofNanos(System.nanoTime() - started))
					+ "; pg_dump dumps that snapshot");
			return new DumpSnapshot(connection, id, counts);
		}
		catch (SQLException ex) {
			if (connection != null) {
				release(connection);
			}
			throw new BackupException(
					"Could not count the rows of the tables to back up in a snapshot (migrations.backup.verify=restore): "
							+ ex.getMessage(),
					"Check that the database user may read every table it backs up, or set migrations.backup.verify=list.",
					ex);
		}
	}

	/**
	 * Return the snapshot's identifier, for {@code pg_dump --snapshot}.
	 * @return the identifier
	 */
	String id() {
		return this.id;
	}

	/**
	 * Return the rows of each table, counted in the snapshot.
	 * @return the counts
	 */
	TableRowCounts counts() {
		return this.counts;
	}

	/**
	 * End the transaction, and with it the snapshot.
	 */
	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			release(this.connection);
		}
	}

	private static void release(Connection connection) {
		try {
			try {
				connection.rollback();
				connection.setReadOnly(false);
				connection.setAutoCommit(true);
			}
			finally {
				connection.close();
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not end the snapshot's transaction cleanly", ex);
		}
	}

}
