package io.apiforge.migrations.jdbc;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Quotes PostgreSQL identifiers, so that mixed-case and odd names (as Flyway, which
 * quotes them, created them) are used exactly as they are.
 *
 * @author apiforge
 */
public final class SqlIdentifiers {

	private SqlIdentifiers() {
	}

	/**
	 * Quote one identifier.
	 * @param identifier the identifier, as it is in the catalog
	 * @return the quoted identifier, such as {@code "Billing"}
	 */
	public static String quote(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	/**
	 * Quote a name qualified by its schema, or not qualified: {@code schema.table} or
	 * {@code table}, split at the first dot as Flyway's own {@code schema.table} names are.
	 * @param name the name
	 * @return the quoted name, such as {@code "app"."flyway_schema_history"}
	 */
	public static String quoteQualified(String name) {
		return Arrays.stream(name.split("\\.", 2)).map(SqlIdentifiers::quote).collect(Collectors.joining("."));
	}

	/**
	 * Quote a table in a schema, or in the connection's own when there is none.
	 * @param schema the schema, or {@code null}
	 * @param table the table, unqualified
	 * @return the quoted name, such as {@code "app"."flyway_schema_history_replicas"}
	 */
	public static String quoteInSchema(@Nullable String schema, String table) {
		return ((schema != null) ? quote(schema) + "." : "") + quote(table);
	}

}
