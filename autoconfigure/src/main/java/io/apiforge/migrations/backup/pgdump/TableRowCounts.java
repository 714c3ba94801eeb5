package io.apiforge.migrations.backup.pgdump;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The number of rows of each table a dump holds the data of, by qualified name
 * ({@code public.items}, {@code "Billing".invoices}): the tables of its schemas (every
 * schema that is not the system's, for a whole-database dump), without temporary tables
 * and without the tables an extension owns (whose data {@code pg_dump} leaves out).
 * Partitions count on their own; a partitioned table holds no rows itself.
 * <p>
 * The same query counts the source, in the snapshot the dump saw, and the restored
 * copy, so that both sides are counted alike.
 *
 * @param rows the rows of each table
 * @author apiforge
 */
record TableRowCounts(Map<String, Long> rows) {

	TableRowCounts {
		rows = Collections.unmodifiableMap(new TreeMap<>(rows));
	}

	/**
	 * Return the query that counts the rows of every table of a dump, one row per table
	 * (its qualified name, its rows). It is a single statement, so that it counts in one
	 * snapshot, and it runs unchanged in {@code psql}.
	 * @param schemas the schemas the dump holds, or an empty list for a whole database
	 * @return the query
	 */
	static String query(List<String> schemas) {
		List<String> literals = new ArrayList<>();
		for (String schema : schemas) {
			literals.add("'" + schema.replace("'", "''") + "'");
		}
		return "SELECT format('%I.%I', n.nspname, c.relname), "
				+ "(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), "
				+ "false, true, '')))[1]::text::bigint "
				+ "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
				+ "WHERE c.relkind = 'r' AND c.relpersistence <> 't' "
				+ "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
				+ (literals.isEmpty() ? "" : "AND n.nspname IN (" + String.join(", ", literals) + ") ")
				+ "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
				+ "AND d.objid = c.oid AND d.deptype = 'e') ORDER BY 1";
	}

	/**
	 * Count the rows of a dump's tables on a connection, in its current transaction.
	 * @param connection the connection
	 * @param schemas the schemas the dump holds, or an empty list for a whole database
	 * @return the counts
	 * @throws SQLException when they cannot be read
	 */
	static TableRowCounts count(Connection connection, List<String> schemas) throws SQLException {
		Map<String, Long> rows = new TreeMap<>();
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(query(schemas))) {
			while (result.next()) {
				rows.put(result.getString(1), result.getLong(2));
			}
		}
		return new TableRowCounts(rows);
	}

	/**
	 * Read counts from {@code psql}'s unaligned output with zero bytes as separators.
	 * @param output the output: name, rows, name, rows, … each ended by a zero byte
	 * @return the counts
	 */
	static TableRowCounts parse(String output) {
		Map<String, Long> rows = new TreeMap<>();
		String[] fields = output.split("\0");
		for (int i = 0; i + 1 < fields.length; i += 2) {
			rows.put(fields[i].strip(), Long.parseLong(fields[i + 1].strip()));
		}
		return new TableRowCounts(rows);
	}

	/**
	 * Return the total number of rows.
	 * @return the rows of every table together
	 */
	long total() {
		return this.rows.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Compare a restored copy with these counts.
	 * @param restored the counts of the copy
	 * @return the differences, one per table ({@code public.items: 1000 rows expected, 0
	 * found}), empty when they agree
	 */
	List<String> differences(TableRowCounts restored) {
		List<String> differences = new ArrayList<>();
		this.rows.forEach((table, expected) -> {
			@Nullable Long found = restored.rows.get(table);
			if (found == null) {
				differences.add(table + ": " + expected + " rows expected, but the restored copy has no such table");
			}
			else if (!found.equals(expected)) {
				differences.add(table + ": " + expected + " rows expected, " + found + " found");
			}
		});
		restored.rows.keySet()
			.stream()
			.filter((table) -> !this.rows.containsKey(table))
			.forEach((table) -> differences.add(table + ": not in the source, but in the restored copy"));
		return differences;
	}

}
