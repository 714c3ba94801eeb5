package io.apiforge.migrations.rollback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;
import org.postgresql.util.PSQLException;

import io.apiforge.migrations.status.SchemaHistory;

/**
 * Undoes one version: runs its undo script (or its undoable Java migration) and deletes
 * the version's row from the schema history, in one transaction, so that the history
 * always tells the truth. A failure rolls the step back and names the undo and the line.
 *
 * @author apiforge
 */
public class UndoStepExecutor {

	/**
	 * Undo one version.
	 * @param configuration Flyway's configuration: the data source, the schema history
	 * table, the placeholders
	 * @param step the step
	 * @throws UndoFailedException when the undo failed; nothing of the step was kept
	 */
	public void undo(Configuration configuration, RollbackStep step) {
		DataSource dataSource = configuration.getDataSource();
		String sql = (step.undoScript() != null) ? placeholders(configuration, step.undoScript().sql()) : null;
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				String schema = SchemaHistory.defaultSchemaOf(configuration);
				if (schema != null) {
					try (Statement statement = connection.createStatement()) {
						statement.execute("SET LOCAL search_path TO " + quote(schema));
					}
				}
				if (sql != null) {
					try (Statement statement = connection.createStatement()) {
						statement.execute(sql);
					}
				}
				else {
					step.undoMigration().undo(context(configuration, connection));
				}
				try (PreparedStatement delete = connection.prepareStatement("DELETE FROM "
						+ quoteQualified(SchemaHistory.tableOf(configuration)) + " WHERE version = ? AND success")) {
					delete.setString(1, step.version());
					if (delete.executeUpdate() != 1) {
						throw new SQLException("The schema history has no successful row for version " + step.version());
					}
				}
				connection.commit();
			}
			catch (Exception ex) {
				connection.rollback();
				throw failed(step, sql, ex);
			}
		}
		catch (SQLException ex) {
			throw failed(step, sql, ex);
		}
	}

	private UndoFailedException failed(RollbackStep step, @Nullable String sql, Exception failure) {
		String where = "";
		if (sql != null && failure instanceof PSQLException psql && psql.getServerErrorMessage() != null
				&& psql.getServerErrorMessage().getPosition() > 0) {
			int position = Math.min(psql.getServerErrorMessage().getPosition(), sql.length());
			where = " at line " + (sql.substring(0, position).chars().filter((c) -> c == '\n').count() + 1);
		}
		String error = (failure.getMessage() != null) ? failure.getMessage().strip().split("\\R")[0] : failure.toString();
		return new UndoFailedException(
				"Undo of version " + step.version() + " (" + step.undo() + ") failed" + where + ": " + error
						+ ". PostgreSQL rolled this step back: version " + step.version()
						+ " is still applied, and the rollback stopped there.",
				"Fix " + step.undo() + ", then run the rollback again; it continues from version " + step.version() + ".",
				String.valueOf(step.undo()), step.version(), failure);
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

	private static String placeholders(Configuration configuration, String sql) {
		if (!configuration.isPlaceholderReplacement()) {
			return sql;
		}
		String replaced = sql;
		for (Map.Entry<String, String> placeholder : configuration.getPlaceholders().entrySet()) {
			replaced = replaced.replace(
					configuration.getPlaceholderPrefix() + placeholder.getKey() + configuration.getPlaceholderSuffix(),
					placeholder.getValue());
		}
		return replaced;
	}

	private static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	private static String quoteQualified(String table) {
		return java.util.Arrays.stream(table.split("\\.", 2)).map(UndoStepExecutor::quote).collect(Collectors.joining("."));
	}

}
