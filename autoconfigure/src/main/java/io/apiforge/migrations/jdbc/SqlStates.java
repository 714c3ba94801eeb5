package io.apiforge.migrations.jdbc;

import java.sql.SQLException;
import java.util.Set;

/**
 * What PostgreSQL's SQL states say about the starter's own tables: one missing, or one
 * another instance created at the same moment.
 *
 * @author apiforge
 */
public final class SqlStates {

	/** {@code undefined_table}. */
	private static final String UNDEFINED_TABLE = "42P01";

	/** {@code invalid_schema_name}: the schema does not exist. */
	private static final String UNDEFINED_SCHEMA = "3F000";

	/**
	 * What the loser of two {@code CREATE TABLE IF NOT EXISTS} run at the same moment
	 * sees: a unique violation in the catalog ({@code 23505}), the table
	 * ({@code 42P07}) or its row type ({@code 42710}) already there. {@code IF NOT EXISTS}
	 * does not guard against it.
	 */
	private static final Set<String> CREATED_CONCURRENTLY = Set.of("23505", "42P07", "42710");

	private SqlStates() {
	}

	/**
	 * Return whether a failure says that a table does not exist.
	 * @param ex the failure
	 * @return whether its state is {@code undefined_table}
	 */
	public static boolean isUndefinedTable(SQLException ex) {
		return UNDEFINED_TABLE.equals(ex.getSQLState());
	}

	/**
	 * Return whether a failure says that a schema does not exist.
	 * @param ex the failure
	 * @return whether its state is {@code invalid_schema_name}
	 */
	public static boolean isUndefinedSchema(SQLException ex) {
		return UNDEFINED_SCHEMA.equals(ex.getSQLState());
	}

	/**
	 * Return whether a failed {@code CREATE TABLE IF NOT EXISTS} lost to another session
	 * creating the same table at the same moment: the table is there.
	 * @param ex the failure
	 * @return whether it did
	 */
	public static boolean isCreatedConcurrently(SQLException ex) {
		return CREATED_CONCURRENTLY.contains(ex.getSQLState());
	}

}
