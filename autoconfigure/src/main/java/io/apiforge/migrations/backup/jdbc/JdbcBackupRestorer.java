package io.apiforge.migrations.backup.jdbc;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.backup.BackupException;

/**
 * Restores a {@code jdbc} backup over JDBC, with no binary: the script's statements one
 * by one and its {@code COPY} blocks through pgJDBC's {@code CopyManager}, in one
 * transaction, so that a failed restore leaves the target as it was. Restore into a new,
 * empty database, check it, then switch the application over.
 *
 * @author apiforge
 */
public class JdbcBackupRestorer {

	private static final Log logger = LogFactory.getLog(JdbcBackupRestorer.class);

	private static final int COPY_CHUNK = 1 << 16;

	/**
	 * Restore a backup into a database, which should be new and empty.
	 * @param backup the backup file ({@code .sql.gz}, written by the {@code jdbc} strategy)
	 * @param target the database to restore into
	 * @throws BackupException when the restore failed; nothing of it is kept
	 */
	public void restore(Path backup, DataSource target) {
		if (!Files.isRegularFile(backup)) {
			throw new BackupException("No backup at " + backup,
					"Give the path of a .sql.gz file the jdbc backup wrote.", null);
		}
		long started = System.nanoTime();
		try (Connection connection = target.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				int statements = run(backup, connection);
				connection.commit();
				logger.info("Restored " + backup + " (" + statements + " statements) in "
						+ DurationFormat.format(Duration.ofNanos(System.nanoTime() - started)));
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				// The script's SETs (an empty search_path among them) must not stay on a
				// pooled connection.
				try (Statement statement = connection.createStatement()) {
					statement.execute("RESET ALL");
				}
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new BackupException("Restoring " + backup + " failed: " + ex.getMessage(),
					"Restore into a new, empty database (createdb), with a user that may create its objects.", ex);
		}
		catch (IOException ex) {
			throw new BackupException("Could not read the backup " + backup + ": " + ex.getMessage(),
					"Check that the file is a complete jdbc backup (gunzip -t " + backup + ").", ex);
		}
	}

	private int run(Path backup, Connection connection) throws IOException, SQLException {
		CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
		int statements = 0;
		boolean complete = false;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(new GZIPInputStream(Files.newInputStream(backup), COPY_CHUNK), StandardCharsets.UTF_8),
				COPY_CHUNK)) {
			StringBuilder statement = null;
			String name = null;
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.startsWith(ScriptWriter.MARKER) || line.startsWith(ScriptWriter.TRAILER)) {
					execute(connection, statement, name);
					statement = null;
					if (line.startsWith(ScriptWriter.TRAILER)) {
						complete = true;
						break;
					}
					name = line.substring(ScriptWriter.MARKER.length());
					statements++;
					if (line.startsWith(ScriptWriter.MARKER + "TABLE DATA;")) {
						copy(copy, reader, name);
					}
					else {
						statement = new StringBuilder();
					}
				}
				else if (statement != null) {
					statement.append(line).append('\n');
				}
			}
		}
		if (!complete) {
			throw new BackupException("The backup " + backup + " is incomplete: it does not end with its trailer line",
					"Restore an earlier, complete backup.", null);
		}
		return statements;
	}

	private static void execute(Connection connection, @Nullable StringBuilder sql, @Nullable String name)
			throws SQLException {
		if (sql == null || sql.toString().isBlank()) {
			return;
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql.toString());
		}
		catch (SQLException ex) {
			throw new SQLException("at " + name + ": " + ex.getMessage(), ex.getSQLState(), ex);
		}
	}

	private static void copy(CopyManager copy, BufferedReader reader, String name) throws IOException, SQLException {
		String sql = reader.readLine();
		if (sql == null || !sql.startsWith("COPY ")) {
			throw new IOException("a COPY statement was expected after " + name);
		}
		CopyIn in = copy.copyIn(sql.substring(0, sql.length() - 1));
		try {
			ByteArrayOutputStream buffer = new ByteArrayOutputStream(COPY_CHUNK * 2);
			for (String line = reader.readLine();; line = reader.readLine()) {
				if (line == null) {
					throw new IOException("the data of " + name + " ends before its end marker");
				}
				if (line.equals(ScriptWriter.END_OF_COPY)) {
					break;
				}
				buffer.writeBytes(line.getBytes(StandardCharsets.UTF_8));
				buffer.write('\n');
				if (buffer.size() >= COPY_CHUNK) {
					in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
					buffer.reset();
				}
			}
			if (buffer.size() > 0) {
				in.writeToCopy(buffer.toByteArray(), 0, buffer.size());
			}
			in.endCopy();
		}
		finally {
			if (in.isActive()) {
				in.cancelCopy();
			}
		}
	}

}
