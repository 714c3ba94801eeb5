package io.apiforge.migrations.drift;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.fingerprint.SchemaFingerprint;
import io.apiforge.migrations.jdbc.Relations;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.jdbc.SqlStates;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * The table of stored fingerprints, beside the schema history table, in its schema and
 * named after it ({@code flyway_schema_history_fingerprints}). Rows are only ever
 * appended; the reference of a version is its newest row. The table is created on first
 * use, and only where the history table exists: a table of the starter's in a schema
 * Flyway has not initialised yet would make Flyway refuse it as non-empty.
 * <p>
 * Writes happen under the migration lock, which is also what keeps the ids unique
 * without a sequence (a sequence would be one more object of the starter's in the
 * user's schema).
 *
 * @author apiforge
 */
public class FingerprintStore {

	/** What the table's name adds to the history table's. */
	public static final String SUFFIX = SchemaHistory.FINGERPRINTS_SUFFIX;

	private final @Nullable String schema;

	private final String historyTable;

	private final String table;

	private final String qualifiedHistory;

	private final String qualifiedTable;

	/**
	 * Create a store.
	 * @param schema the schema of the history table, or {@code null} for the connection's
	 * current schema (where Flyway puts its table then)
	 * @param historyTable the history table's name, unqualified (Flyway's {@code table})
	 */
	public FingerprintStore(@Nullable String schema, String historyTable) {
		Assert.hasText(historyTable, "'historyTable' must not be empty");
		this.schema = schema;
		this.historyTable = historyTable;
		this.table = tableName(historyTable);
		this.qualifiedHistory = SqlIdentifiers.quoteInSchema(schema, historyTable);
		this.qualifiedTable = SqlIdentifiers.quoteInSchema(schema, this.table);
	}

	/**
	 * Return the name of the table that stores the fingerprints of a history table.
	 * @param historyTable the history table's name, unqualified
	 * @return the name, unqualified
	 */
	public static String tableName(String historyTable) {
		return historyTable + SUFFIX;
	}

	/**
	 * Return the table's name, unqualified.
	 * @return such as {@code flyway_schema_history_fingerprints}
	 */
	public String table() {
		return this.table;
	}

	/**
	 * Return the history table's name, unqualified.
	 * @return such as {@code flyway_schema_history}
	 */
	public String historyTable() {
		return this.historyTable;
	}

	/**
	 * Return the table, qualified and quoted as it is used in SQL.
	 * @return such as {@code "Sales"."flyway_schema_history_fingerprints"}
	 */
	public String qualifiedTable() {
		return this.qualifiedTable;
	}

	/**
	 * Return whether the schema history table exists: before it does, Flyway has not
	 * initialised the schema, and nothing is stored.
	 * @param connection a connection
	 * @return whether it exists
	 * @throws SQLException when the catalog cannot be read
	 */
	public boolean historyExists(Connection connection) throws SQLException {
		return Relations.exists(connection, this.qualifiedHistory);
	}

	/**
	 * Append a fingerprint, creating the table when it is missing. Call it under the
	 * migration lock.
	 * @param connection a connection in auto-commit mode
	 * @param version the version it describes, or {@code null} for an empty schema
	 * @param reason why it is stored
	 * @param recordedBy who stores it, or {@code null} for the database user
	 * @param fingerprint the fingerprint
	 * @param at when
	 * @return the stored row
	 * @throws SQLException when it cannot be stored
	 */
	public StoredFingerprint append(Connection connection, @Nullable String version, FingerprintReason reason,
			@Nullable String recordedBy, SchemaFingerprint fingerprint, Instant at) throws SQLException {
		createIfMissing(connection);
		// As the column keeps it, so that what is returned and what is read back agree.
		Instant recordedAt = at.truncatedTo(ChronoUnit.MICROS);
		String sql = "INSERT INTO " + this.qualifiedTable
				+ " (id, version, reason, recorded_at, recorded_by, postgresql_version, digest, fingerprint)"
				+ " SELECT coalesce(max(id), 0) + 1, ?, ?, ?, coalesce(?, current_user), ?, ?, ? FROM "
				+ this.qualifiedTable + " RETURNING id, recorded_by";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, version);
			statement.setString(2, reason.label());
			statement.setObject(3, OffsetDateTime.ofInstant(recordedAt, ZoneOffset.UTC));
			statement.setString(4, recordedBy);
			statement.setInt(5, fingerprint.postgresqlVersion());
			statement.setString(6, fingerprint.digest());
			statement.setString(7, fingerprint.toJson());
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return new StoredFingerprint(result.getLong(1), version, reason, recordedAt, result.getString(2),
						fingerprint);
			}
		}
	}

	private void createIfMissing(Connection connection) throws SQLException {
		if (Relations.exists(connection, this.qualifiedTable)) {
			return;
		}
		Relations.createTable(connection, this.qualifiedTable, "id bigint PRIMARY KEY, version text, "
				+ "reason text NOT NULL, recorded_at timestamp with time zone NOT NULL, recorded_by text NOT NULL, "
				+ "postgresql_version integer NOT NULL, digest text NOT NULL, fingerprint text NOT NULL",
				"Schema fingerprints of " + this.historyTable
						+ ", one row a run, for drift detection (migrations.drift.*): append-only");
	}

	/**
	 * Return the reference of a version: its newest row.
	 * @param connection a connection
	 * @param version the version, or {@code null} for an empty schema
	 * @return the row, or {@code null} when the version has none (or the table does not
	 * exist yet)
	 * @throws SQLException when the table cannot be read
	 */
	public @Nullable StoredFingerprint reference(Connection connection, @Nullable String version)
			throws SQLException {
		String sql = "SELECT id, version, reason, recorded_at, recorded_by, fingerprint FROM " + this.qualifiedTable
				+ " WHERE version IS NOT DISTINCT FROM CAST(? AS text) ORDER BY id DESC LIMIT 1";
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, version);
			try (ResultSet result = statement.executeQuery()) {
				if (!result.next()) {
					return null;
				}
				return new StoredFingerprint(result.getLong(1), result.getString(2),
						FingerprintReason.ofLabel(result.getString(3)),
						result.getObject(4, OffsetDateTime.class).toInstant(), result.getString(5),
						SchemaFingerprint.fromJson(result.getString(6)));
			}
		}
		catch (SQLException ex) {
			if (SqlStates.isUndefinedTable(ex)) {
				return null;
			}
			throw ex;
		}
	}

	@Override
	public String toString() {
		return (this.schema != null) ? this.schema + "." + this.table : this.table;
	}

}
