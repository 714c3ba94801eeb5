package io.apiforge.migrations.status;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.jdbc.SqlStates;

/**
 * What the schema history table says, read with one cheap query: the versions applied
 * successfully, the failed rows, and the highest rank (which changes whenever anyone
 * migrates). It never scans the classpath.
 *
 * @param exists whether the table exists
 * @param appliedVersions the versions applied successfully, in the order applied
 * @param appliedRepeatables the repeatable migrations applied successfully, as
 * {@code script:checksum}
 * @param failedScripts the scripts of the rows that record a failure
 * @param maxRank the highest installed rank, 0 for an empty or missing table
 * @author apiforge
 */
public record SchemaHistory(boolean exists, List<String> appliedVersions, List<String> appliedRepeatables,
		List<String> failedScripts, int maxRank) {

	/** The {@linkplain #digest digest} of a history table that does not exist. */
	public static final String ABSENT = "absent";

	/** What the name of the table of stored fingerprints adds to the history table's. */
	public static final String FINGERPRINTS_SUFFIX = "_fingerprints";

	/** What the name of the replica registry's table adds to the history table's. */
	public static final String REPLICAS_SUFFIX = "_replicas";

	/** What the name of the table of backfill checkpoints adds to the history table's. */
	public static final String BACKFILLS_SUFFIX = "_backfills";

	/** What the name of the contract migrations' history table adds to the history table's. */
	public static final String CONTRACT_SUFFIX = "_contract";

	/**
	 * Read the history table.
	 * @param dataSource the database
	 * @param table the table, qualified by its schema when Flyway's is configured; an
	 * identifier Flyway accepted, quoted here
	 * @return what the table says
	 * @throws SQLException when the database cannot be read
	 */
	public static SchemaHistory read(DataSource dataSource, String table) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			return read(connection, table);
		}
	}

	/**
	 * Read the history table over a connection the caller holds.
	 * @param connection the connection
	 * @param table the table, qualified by its schema when Flyway's is configured; an
	 * identifier Flyway accepted, quoted here
	 * @return what the table says
	 * @throws SQLException when the database cannot be read
	 */
	public static SchemaHistory read(Connection connection, String table) throws SQLException {
		String sql = "SELECT string_agg(version, '\n' ORDER BY installed_rank) FILTER (WHERE success AND version IS NOT NULL), "
				+ "string_agg(script || ':' || coalesce(checksum::text, ''), '\n') FILTER (WHERE success AND version IS NULL), "
				+ "string_agg(script, '\n' ORDER BY installed_rank) FILTER (WHERE NOT success), "
				+ "coalesce(max(installed_rank), 0) FROM " + SqlIdentifiers.quoteQualified(table);
		try (Statement statement = connection.createStatement()) {
			try (ResultSet result = statement.executeQuery(sql)) {
				result.next();
				return new SchemaHistory(true, lines(result.getString(1)), lines(result.getString(2)),
						lines(result.getString(3)), result.getInt(4));
			}
			catch (SQLException ex) {
				if (SqlStates.isUndefinedTable(ex)) {
					return new SchemaHistory(false, List.of(), List.of(), List.of(), 0);
				}
				throw ex;
			}
		}
	}

	/**
	 * Read a digest of the whole history table: every row's rank, version, script,
	 * checksum, type and success, hashed in one query. Two equal digests mean nobody
	 * migrated, repaired or rolled back in between, so what Flyway said of the history
	 * then still holds, without asking it again (a classpath scan and a history query).
	 * @param dataSource the database
	 * @param table the table, qualified by its schema when Flyway's is configured; an
	 * identifier Flyway accepted, quoted here
	 * @return the digest ({@link #ABSENT} when the table or its schema does not exist),
	 * or {@code null} when it cannot be read, which no later digest equals
	 */
	public static @Nullable String digest(DataSource dataSource, String table) {
		return digest(dataSource, table, Integer.MAX_VALUE);
	}

	/**
	 * Read the {@linkplain #digest(DataSource, String) digest} of the rows of the history
	 * table up to a rank: equal to the digest of the whole table read before a run when
	 * the run only added rows after that rank.
	 * @param dataSource the database
	 * @param table the table, qualified by its schema when Flyway's is configured
	 * @param rank the highest rank to include
	 * @return the digest ({@link #ABSENT} when the table or its schema does not exist),
	 * or {@code null} when it cannot be read
	 */
	public static @Nullable String digest(DataSource dataSource, String table, int rank) {
		String sql = "SELECT count(*) || ':' || coalesce(md5(string_agg(installed_rank || ':' || coalesce(version, '') "
				+ "|| ':' || script || ':' || coalesce(checksum::text, '') || ':' || type || ':' || success, '\n' "
				+ "ORDER BY installed_rank)), '') FROM " + SqlIdentifiers.quoteQualified(table)
				+ " WHERE installed_rank <= " + rank;
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			try (ResultSet result = statement.executeQuery(sql)) {
				result.next();
				return result.getString(1);
			}
			catch (SQLException ex) {
				if (SqlStates.isUndefinedTable(ex) || SqlStates.isUndefinedSchema(ex)) {
					return ABSENT;
				}
				throw ex;
			}
		}
		catch (SQLException ex) {
			return null;
		}
	}

	/**
	 * Return whether two digests say the same rows: equal, or one of a table that does
	 * not exist and one of an empty table.
	 * @param digest a digest, or {@code null}
	 * @param other another, or {@code null}
	 * @return whether both were read and say the same rows
	 */
	public static boolean sameRows(@Nullable String digest, @Nullable String other) {
		if (digest == null || other == null) {
			return false;
		}
		return digest.equals(other) || (isEmptyOrAbsent(digest) && isEmptyOrAbsent(other));
	}

	private static boolean isEmptyOrAbsent(String digest) {
		return ABSENT.equals(digest) || "0:".equals(digest);
	}

	/**
	 * Return the schema history table of a Flyway configuration, qualified by its schema
	 * when one is configured ({@code spring.flyway.default-schema} or the first of
	 * {@code spring.flyway.schemas}); otherwise the connection's search path finds it.
	 * @param configuration Flyway's configuration
	 * @return the table, such as {@code flyway_schema_history} or
	 * {@code app.flyway_schema_history}
	 */
	public static String tableOf(Configuration configuration) {
		String schema = defaultSchemaOf(configuration);
		return (schema != null) ? schema + "." + configuration.getTable() : configuration.getTable();
	}

	/**
	 * Return the schema Flyway migrates in by default: {@code spring.flyway.default-schema},
	 * else the first of {@code spring.flyway.schemas}.
	 * @param configuration Flyway's configuration
	 * @return the schema, or {@code null} when the connection's own is used
	 */
	public static @Nullable String defaultSchemaOf(Configuration configuration) {
		if (configuration.getDefaultSchema() != null) {
			return configuration.getDefaultSchema();
		}
		return (configuration.getSchemas().length > 0) ? configuration.getSchemas()[0] : null;
	}

	/**
	 * Return the tables the starter keeps beside a schema history table, the history
	 * table included: they are the starter's, not the application's schema (drift and
	 * fingerprints leave them out). Each is named after the history table: the stored
	 * fingerprints ({@code _fingerprints}), the replica registry ({@code _replicas}), the
	 * backfill checkpoints ({@code _backfills}), the contract migrations' history
	 * ({@code _contract}).
	 * @param historyTable the history table's name, unqualified
	 * @return the names, unqualified
	 */
	public static Set<String> starterTables(String historyTable) {
		return Set.of(historyTable, historyTable + FINGERPRINTS_SUFFIX, historyTable + REPLICAS_SUFFIX,
				historyTable + BACKFILLS_SUFFIX, historyTable + CONTRACT_SUFFIX);
	}

	/**
	 * Return the schemas Flyway manages, the default one first.
	 * @param configuration Flyway's configuration
	 * @return the schemas; empty when the connection's own is used
	 */
	public static List<String> schemasOf(Configuration configuration) {
		Set<String> schemas = new LinkedHashSet<>();
		String schema = defaultSchemaOf(configuration);
		if (schema != null) {
			schemas.add(schema);
		}
		schemas.addAll(List.of(configuration.getSchemas()));
		return List.copyOf(schemas);
	}

	private static List<String> lines(@Nullable String aggregate) {
		return (aggregate != null) ? Arrays.asList(aggregate.split("\n")) : List.of();
	}

}
