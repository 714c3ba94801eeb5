package io.apiforge.migrations.lint;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What the database holds when the lint runs, read with a few catalog queries: the
 * tables (with their columns), the columns a validated {@code CHECK (c IS NOT NULL)}
 * proves, which functions are volatile, the search path, and the session's
 * {@code lock_timeout}.
 *
 * @param searchPath the schemas an unqualified name is looked up in, in order
 * @param tables the tables, partitioned tables and materialized views outside the system
 * schemas
 * @param volatileFunctions for each function name, whether any function of that name is
 * volatile
 * @param lockTimeout the session's {@code lock_timeout} ({@code 0} when none), as set for
 * the database or role
 * @author apiforge
 */
record DatabaseCatalog(List<String> searchPath, Map<TableKey, Table> tables, Map<String, Boolean> volatileFunctions,
		String lockTimeout) {

	private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') "
			+ "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

	private static final Pattern NOT_NULL_CHECK = Pattern.compile("CHECK \\(\\((\"(?:[^\"]|\"\")+\"|[^\\s()\"]+) IS NOT NULL\\)\\)");

	/**
	 * Read the catalog.
	 * @param connection a connection to the database
	 * @param firstSchemas schemas to look in before the connection's search path, as
	 * Flyway does with its default schema
	 * @return the catalog
	 * @throws SQLException when it cannot be read
	 */
	static DatabaseCatalog read(Connection connection, List<String> firstSchemas) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			Set<String> searchPath = new LinkedHashSet<>(firstSchemas);
			try (ResultSet result = statement.executeQuery("SELECT current_schemas(false)")) {
				result.next();
				Array schemas = result.getArray(1);
				for (Object schema : (Object[]) schemas.getArray()) {
					searchPath.add((String) schema);
				}
			}
			Map<TableKey, Table> tables = tables(statement);
			Map<String, Boolean> functions = new HashMap<>();
			try (ResultSet result = statement
				.executeQuery("SELECT proname, bool_or(provolatile = 'v') FROM pg_proc GROUP BY proname")) {
				while (result.next()) {
					functions.put(result.getString(1), result.getBoolean(2));
				}
			}
			String lockTimeout;
			try (ResultSet result = statement.executeQuery("SELECT current_setting('lock_timeout')")) {
				result.next();
				lockTimeout = result.getString(1);
			}
			return new DatabaseCatalog(List.copyOf(searchPath), tables, functions, lockTimeout);
		}
	}

	private static Map<TableKey, Table> tables(Statement statement) throws SQLException {
		Map<TableKey, Map<String, Column>> columns = new LinkedHashMap<>();
		try (ResultSet result = statement.executeQuery("SELECT n.nspname, c.relname, a.attname, "
				+ "format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
				+ "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
				+ "WHERE c.relkind IN ('r', 'p', 'm') AND " + USER_SCHEMAS + " ORDER BY 1, 2, a.attnum")) {
			while (result.next()) {
				Map<String, Column> table = columns.computeIfAbsent(new TableKey(result.getString(1), result.getString(2)),
						(key) -> new LinkedHashMap<>());
				if (result.getString(3) != null) {
					table.put(result.getString(3), new Column(result.getString(4), result.getBoolean(5)));
				}
			}
		}
		Map<TableKey, Set<String>> provenNotNull = new HashMap<>();
		try (ResultSet result = statement.executeQuery("SELECT n.nspname, c.relname, pg_get_constraintdef(k.oid) "
				+ "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
				+ "WHERE k.contype = 'c' AND k.convalidated AND " + USER_SCHEMAS)) {
			while (result.next()) {
				String column = notNullColumn(result.getString(3));
				if (column != null) {
					provenNotNull.computeIfAbsent(new TableKey(result.getString(1), result.getString(2)),
							(key) -> new LinkedHashSet<>())
						.add(column);
				}
			}
		}
		Map<TableKey, Table> tables = new LinkedHashMap<>();
		columns.forEach((key, tableColumns) -> tables.put(key,
				new Table(tableColumns, provenNotNull.getOrDefault(key, Set.of()))));
		return tables;
	}

	/**
	 * Return the column a check constraint's definition proves not null.
	 * @param definition the definition, as {@code pg_get_constraintdef} gives it
	 * @return the column, or {@code null} when the constraint is not a single
	 * {@code IS NOT NULL}
	 */
	static @Nullable String notNullColumn(String definition) {
		Matcher matcher = NOT_NULL_CHECK.matcher(definition.strip());
		if (!matcher.matches()) {
			return null;
		}
		String column = matcher.group(1);
		return column.startsWith("\"") ? column.substring(1, column.length() - 1).replace("\"\"", "\"") : column;
	}

	/**
	 * Return whether the session already has a {@code lock_timeout}.
	 * @return whether it is set to something other than 0
	 */
	boolean hasLockTimeout() {
		return !this.lockTimeout.isBlank() && !this.lockTimeout.equals("0");
	}

	/**
	 * A table in the catalog.
	 *
	 * @param columns its columns by name
	 * @param provenNotNull the columns a validated {@code CHECK (c IS NOT NULL)} proves
	 */
	record Table(Map<String, Column> columns, Set<String> provenNotNull) {

		Table {
			columns = Map.copyOf(columns);
			provenNotNull = Set.copyOf(provenNotNull);
		}

	}

	/**
	 * A column in the catalog.
	 *
	 * @param type its type, as {@code format_type} writes it, such as
	 * {@code character varying(32)}
	 * @param notNull whether it is {@code NOT NULL}
	 */
	record Column(String type, boolean notNull) {

	}

}
