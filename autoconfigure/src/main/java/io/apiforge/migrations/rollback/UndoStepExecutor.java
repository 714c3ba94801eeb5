package io.apiforge.migrations.rollback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import io.apiforge.migrations.lint.ExecutableStatement;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * Undoes one version: runs its undo script (or its undoable Java migration) and deletes
 * the version's row from the schema history, in one transaction, so that the history
 * always tells the truth. The script runs one statement at a time, split the way the
 * lint splits scripts, so that a failure names the line of the failing statement; it
 * rolls the whole step back.
 * <p>
 * An undo script whose {@code .sql.conf} sets {@code executeInTransaction=false} runs
 * outside a transaction instead, one statement at a time, and the history row is deleted
 * only after every statement succeeded: a failure then leaves the statements before it
 * done, and the version still recorded as applied.
 *
 * @author apiforge
 */
public class UndoStepExecutor {

	/**
	 * Undo one version.
	 * @param configuration Flyway's configuration: the data source, the schema history
	 * table
	 * @param step the step, as planned (its SQL with the placeholders replaced)
	 * @throws UndoFailedException when the undo failed; in a transaction, nothing of the
	 * step was kept
	 */
	public void undo(Configuration configuration, RollbackStep step) {
		List<ExecutableStatement> statements = (step.sql() != null) ? ExecutableStatement.split(step.sql()) : null;
		Progress progress = new Progress();
		DataSource dataSource = configuration.getDataSource();
		try (Connection connection = dataSource.getConnection()) {
			if (step.transactional()) {
				undoInTransaction(configuration, step, statements, connection, progress);
			}
			else {
				undoWithoutTransaction(configuration, step, statements, connection, progress);
			}
		}
		catch (SQLException ex) {
			throw failed(step, progress, ex);
		}
	}

	private void undoInTransaction(Configuration configuration, RollbackStep step,
			@Nullable List<ExecutableStatement> statements, Connection connection, Progress progress)
			throws SQLException {
		connection.setAutoCommit(false);
		try {
			String schema = SchemaHistory.defaultSchemaOf(configuration);
			if (schema != null) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET LOCAL search_path TO " + SqlIdentifiers.quote(schema));
				}
			}
			undo(configuration, step, statements, connection, progress);
			deleteHistoryRow(configuration, step, connection);
			connection.commit();
		}
		catch (Exception ex) {
			connection.rollback();
			throw failed(step, progress, ex);
		}
	}

	private void undoWithoutTransaction(Configuration configuration, RollbackStep step,
			@Nullable List<ExecutableStatement> statements, Connection connection, Progress progress)
			throws SQLException {
		connection.setAutoCommit(true);
		String schema = SchemaHistory.defaultSchemaOf(configuration);
		String searchPath = null;
		try {
			if (schema != null) {
				searchPath = setSearchPath(connection, SqlIdentifiers.quote(schema));
			}
			undo(configuration, step, statements, connection, progress);
			// Only now: the history says "applied" until every statement took effect.
			deleteHistoryRow(configuration, step, connection);
		}
		catch (Exception ex) {
			throw failed(step, progress, ex);
		}
		finally {
			// The connection goes back to the pool: leave its search_path as it was.
			if (searchPath != null) {
				try {
					setSearchPath(connection, searchPath);
				}
				catch (SQLException ex) {
					// A broken connection is not the failure to report; the pool discards it.
				}
			}
		}
	}

	private static String setSearchPath(Connection connection, String searchPath) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT current_setting('search_path'), set_config('search_path', ?, false)")) {
			statement.setString(1, searchPath);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getString(1);
			}
		}
	}

	private static void undo(Configuration configuration, RollbackStep step,
			@Nullable List<ExecutableStatement> statements, Connection connection, Progress progress) throws Exception {
		if (statements != null) {
			for (ExecutableStatement sql : statements) {
				progress.current = sql;
				try (Statement statement = connection.createStatement()) {
					statement.execute(sql.sql());
				}
				progress.done++;
			}
			progress.current = null;
		}
		else if (step.undoMigration() != null) {
			step.undoMigration().undo(context(configuration, connection));
		}
	}

	private static void deleteHistoryRow(Configuration configuration, RollbackStep step, Connection connection)
			throws SQLException {
		try (PreparedStatement delete = connection.prepareStatement("DELETE FROM "
				+ SqlIdentifiers.quoteQualified(SchemaHistory.tableOf(configuration)) + " WHERE version = ? AND success")) {
			delete.setString(1, step.version());
			if (delete.executeUpdate() != 1) {
				throw new SQLException("The schema history has no successful row for version " + step.version());
			}
		}
	}

	private UndoFailedException failed(RollbackStep step, Progress progress, Exception failure) {
		if (failure instanceof UndoFailedException undoFailed) {
			return undoFailed;
		}
		ExecutableStatement statement = progress.current;
		String where = (statement != null) ? " at line " + line(statement, failure) + " (" + statement.shortText() + ")"
				: "";
		String error = (failure.getMessage() != null) ? failure.getMessage().strip().split("\\R")[0] : failure.toString();
		String outcome = step.transactional()
				? "PostgreSQL rolled this step back: version " + step.version()
						+ " is still applied, and the rollback stopped there."
				: "This undo runs outside a transaction (executeInTransaction=false), so the " + progress.done
						+ " statement(s) before it took effect; version " + step.version()
						+ " is still recorded as applied, and the rollback stopped there.";
		String action = step.transactional()
				? "Fix " + step.undo() + ", then run the rollback again; it continues from version " + step.version() + "."
				: "Fix " + step.undo() + " so that it can run again over what is already undone (IF EXISTS, IF NOT "
						+ "EXISTS), then run the rollback again; it continues from version " + step.version() + ".";
		return new UndoFailedException(
				"Undo of version " + step.version() + " (" + step.undo() + ") failed" + where + ": " + error + ". "
						+ outcome,
				action, String.valueOf(step.undo()), step.version(), failure);
	}

	/**
	 * The line of the failure: the statement's own, moved down to where PostgreSQL
	 * points inside the statement, when it does.
	 */
	private static int line(ExecutableStatement statement, Exception failure) {
		int line = statement.line();
		if (failure instanceof PSQLException psql) {
			ServerErrorMessage message = psql.getServerErrorMessage();
			if (message != null && message.getPosition() > 0) {
				String sql = statement.sql();
				int position = Math.min(message.getPosition() - 1, sql.length());
				line += (int) sql.substring(0, position).chars().filter((c) -> c == '\n').count();
			}
		}
		return line;
	}

	private static Context context(Configuration configuration, Connection connection) {
		return new Context() {

			@Override
			public Configuration getConfiguration() {
				return configuration;
			}

			@Override
			public Connection getConnection() {
				return connection;
			}

		};
	}


	/**
	 * Where an undo script is: the statement running, and how many ran before it.
	 */
	private static final class Progress {

		private @Nullable ExecutableStatement current;

		private int done;

	}

}
