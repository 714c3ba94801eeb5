package io.apiforge.migrations.replicas;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.jdbc.Relations;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.jdbc.SqlStates;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * The registry's table, beside the schema history table, in its schema and named after
 * it ({@code flyway_schema_history_replicas}): one row per running instance. Heartbeats
 * and liveness use the database's clock, so that hosts whose clocks disagree still agree
 * on which row is stale.
 * <p>
 * The table is created on first use, and only where the history table exists: a table
 * of the starter's in a schema Flyway has not initialised yet would make Flyway refuse
 * the schema as non-empty.
 *
 * @author apiforge
 */
public class ReplicaTable {

	/** What the table's name adds to the history table's. */
	public static final String SUFFIX = SchemaHistory.REPLICAS_SUFFIX;

	private static final String COLUMNS = "instance_id, host, application_version, expected_version, started_at, "
			+ "heartbeat_at";

	private final String historyTable;

	private final String qualifiedHistory;

	private final String qualifiedTable;

	/**
	 * Create the table's handle.
	 * @param schema the schema of the history table, or {@code null} for the connection's
	 * current schema
	 * @param historyTable the history table's name, unqualified
	 */
	public ReplicaTable(@Nullable String schema, String historyTable) {
		Assert.hasText(historyTable, "'historyTable' must not be empty");
		this.historyTable = historyTable;
		this.qualifiedHistory = SqlIdentifiers.quoteInSchema(schema, historyTable);
		this.qualifiedTable = SqlIdentifiers.quoteInSchema(schema, tableName(historyTable));
	}

	/**
	 * Return the name of the registry's table beside a history table.
	 * @param historyTable the history table's name, unqualified
	 * @return the name, unqualified
	 */
	public static String tableName(String historyTable) {
		return historyTable + SUFFIX;
	}

	/**
	 * Return the table, qualified and quoted as it is used in SQL.
	 * @return such as {@code "Sales"."flyway_schema_history_replicas"}
	 */
	public String qualifiedTable() {
		return this.qualifiedTable;
	}

	/**
	 * Insert or refresh an instance's row, creating the table when it is missing, as long
	 * as the history table exists.
	 * @param connection a connection in auto-commit mode
	 * @param identity the instance
	 * @param expectedVersion the schema version it expects, or {@code null}
	 * @return {@code false} when nothing was written because the history table does not
	 * exist yet
	 * @throws SQLException when the row cannot be written
	 */
	public boolean heartbeat(Connection connection, ReplicaIdentity identity, @Nullable String expectedVersion)
			throws SQLException {
		if (!Relations.exists(connection, this.qualifiedTable)) {
			if (!Relations.exists(connection, this.qualifiedHistory)) {
				return false;
			}
			Relations.createTable(connection, this.qualifiedTable, "instance_id text PRIMARY KEY, "
					+ "host text NOT NULL, application_version text, expected_version text, "
					+ "started_at timestamp with time zone NOT NULL, heartbeat_at timestamp with time zone NOT NULL",
					"Running instances of the application that migrates " + this.historyTable
							+ ", one row each, refreshed by a heartbeat (migrations.replicas.*)");
		}
		String sql = "INSERT INTO " + this.qualifiedTable + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, clock_timestamp())"
				+ " ON CONFLICT (instance_id) DO UPDATE SET host = excluded.host,"
				+ " application_version = excluded.application_version,"
				+ " expected_version = excluded.expected_version, heartbeat_at = excluded.heartbeat_at";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, identity.instanceId());
			statement.setString(2, identity.host());
			statement.setString(3, identity.applicationVersion());
			statement.setString(4, expectedVersion);
			statement.setObject(5, OffsetDateTime.ofInstant(identity.startedAt(), ZoneOffset.UTC));
			statement.executeUpdate();
		}
		return true;
	}

	/**
	 * Remove an instance's row.
	 * @param connection a connection in auto-commit mode
	 * @param instanceId the instance
	 * @return whether a row was removed
	 * @throws SQLException when the row cannot be removed
	 */
	public boolean remove(Connection connection, String instanceId) throws SQLException {
		try (PreparedStatement statement = connection
			.prepareStatement("DELETE FROM " + this.qualifiedTable + " WHERE instance_id = ?")) {
			statement.setString(1, instanceId);
			return statement.executeUpdate() > 0;
		}
		catch (SQLException ex) {
			if (SqlStates.isUndefinedTable(ex)) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Remove the rows whose heartbeat is older than a bound: instances that ended
	 * without removing their row (killed, or their host lost) long ago.
	 * @param connection a connection in auto-commit mode
	 * @param olderThan the bound
	 * @return how many rows were removed
	 * @throws SQLException when they cannot be removed
	 */
	public int prune(Connection connection, Duration olderThan) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + this.qualifiedTable
				+ " WHERE heartbeat_at < clock_timestamp() - make_interval(secs => ?)")) {
			statement.setDouble(1, seconds(olderThan));
			return statement.executeUpdate();
		}
		catch (SQLException ex) {
			if (SqlStates.isUndefinedTable(ex)) {
				return 0;
			}
			throw ex;
		}
	}

	/**
	 * Return every row, the newest start first, each said live when its heartbeat is
	 * newer than {@code staleAfter} by the database's clock.
	 * @param connection a connection
	 * @param staleAfter how old a heartbeat may be for its instance to count as live
	 * @return the rows; empty when the table does not exist yet
	 * @throws SQLException when the table cannot be read
	 */
	public List<Replica> list(Connection connection, Duration staleAfter) throws SQLException {
		String sql = "SELECT " + COLUMNS + ", heartbeat_at >= clock_timestamp() - make_interval(secs => ?) FROM "
				+ this.qualifiedTable + " ORDER BY started_at DESC, instance_id";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setDouble(1, seconds(staleAfter));
			try (ResultSet result = statement.executeQuery()) {
				List<Replica> replicas = new ArrayList<>();
				while (result.next()) {
					replicas.add(new Replica(result.getString(1), result.getString(2), result.getString(3),
							result.getString(4), result.getObject(5, OffsetDateTime.class).toInstant(),
							result.getObject(6, OffsetDateTime.class).toInstant(), result.getBoolean(7)));
				}
				return replicas;
			}
		}
		catch (SQLException ex) {
			if (SqlStates.isUndefinedTable(ex)) {
				return List.of();
			}
			throw ex;
		}
	}

	private static double seconds(Duration duration) {
		return duration.toMillis() / 1000.0;
	}

}
