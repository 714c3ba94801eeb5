package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes the schemas of one consistent snapshot as a SQL script: the definitions rebuilt
 * from the catalog with PostgreSQL's own functions ({@code pg_get_indexdef},
 * {@code pg_get_constraintdef}, {@code pg_get_viewdef}, {@code pg_get_functiondef},
 * {@code pg_get_triggerdef}, {@code format_type}, {@code pg_get_expr}), the data streamed
 * with {@code COPY … TO STDOUT}, then what is faster or only possible after the data:
 * sequence values, constraints, indexes, triggers, materialized view contents, comments.
 * <p>
 * The connection must be in a {@code REPEATABLE READ} transaction with
 * {@code search_path} set to {@code pg_catalog}, so that every name the functions return
 * is schema-qualified and the script restores whatever the restoring session's path.
 *
 * @author apiforge
 */
final class CatalogDump {

	/** Not an extension's own object: a dump leaves those to CREATE EXTENSION. */
	private static final String NOT_FROM_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = %s::regclass "
			+ "AND e.objid = %s AND e.deptype = 'e')";

	private final Connection connection;

	private final ScriptWriter script;

	/** The dumped schemas' oids, as an SQL array literal. */
	private final String scope;

	private final boolean wholeDatabase;

	CatalogDump(Connection connection, ScriptWriter script, List<Long> namespaces, boolean wholeDatabase) {
		this.connection = connection;
		this.script = script;
		this.scope = namespaces.stream().map(String::valueOf).collect(Collectors.joining(",", "'{", "}'::oid[]"));
		this.wholeDatabase = wholeDatabase;
	}

	void write() throws SQLException, IOException {
		header();
		schemas();
		extensions();
		types();
		functions(false);
		sequences();
		tables();
		views();
		functions(true);
		sequenceOwners();
		data();
		sequenceValues();
		constraints(false);
		indexes();
		constraints(true);
		triggers();
		refreshMaterializedViews();
		comments();
		this.script.finish();
	}

	private void header() throws IOException {
		// The settings pg_dump's plain scripts start with: names in the script are
		// qualified, function bodies are not checked before the tables they use exist.
		this.script.statement("SETTING", "statement_timeout", "SET statement_timeout = 0");
		this.script.statement("SETTING", "lock_timeout", "SET lock_timeout = 0");
		this.script.statement("SETTING", "client_encoding", "SET client_encoding = 'UTF8'");
		this.script.statement("SETTING", "standard_conforming_strings", "SET standard_conforming_strings = on");
		this.script.statement("SETTING", "search_path", "SELECT pg_catalog.set_config('search_path', '', false)");
		this.script.statement("SETTING", "check_function_bodies", "SET check_function_bodies = false");
		this.script.statement("SETTING", "xmloption", "SET xmloption = content");
		this.script.statement("SETTING", "client_min_messages", "SET client_min_messages = warning");
		this.script.statement("SETTING", "row_security", "SET row_security = off");
	}

	private void schemas() throws SQLException, IOException {
		for (List<String> row : query("SELECT quote_ident(n.nspname) FROM pg_namespace n WHERE n.oid = ANY (" + this.scope
				+ ") ORDER BY n.nspname")) {
			this.script.statement("SCHEMA", row.get(0), "CREATE SCHEMA IF NOT EXISTS " + row.get(0));
		}
	}

	private void extensions() throws SQLException, IOException {
		String where = this.wholeDatabase ? "" : " AND x.extnamespace = ANY (" + this.scope + ")";
		for (List<String> row : query("SELECT quote_ident(x.extname), quote_ident(n.nspname) FROM pg_extension x "
				+ "JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'" + where + " ORDER BY x.oid")) {
			this.script.statement("EXTENSION", row.get(0),
					"CREATE EXTENSION IF NOT EXISTS " + row.get(0) + " WITH SCHEMA " + row.get(1));
		}
	}

	private void types() throws SQLException, IOException {
		// Enums first (a domain or a composite type may use one), then domains and
		// composite types in the order they were created.
		String sql = "SELECT t.typtype::text, format_type(t.oid, NULL), "
				+ "(SELECT string_agg(quote_literal(l.enumlabel), ', ' ORDER BY l.enumsortorder) FROM pg_enum l WHERE l.enumtypid = t.oid), "
				+ "format_type(t.typbasetype, t.typtypmod), " + collate("t.typcollation", "t.typbasetype") + ", "
				+ "pg_get_expr(t.typdefaultbin, 0), t.typnotnull::text, "
				+ "(SELECT string_agg(' CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), '' ORDER BY c.conname) "
				+ "FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'), "
				+ "(SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) || "
				+ collate("a.attcollation", "a.atttypid") + ", ', ' ORDER BY a.attnum) FROM pg_attribute a "
				+ "WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) "
				+ "FROM pg_type t LEFT JOIN pg_class r ON r.oid = t.typrelid "
				+ "WHERE t.typnamespace = ANY (" + this.scope + ") AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND r.relkind = 'c')) AND "
				+ notFromExtension("'pg_type'", "t.oid") + " ORDER BY t.typtype <> 'e', t.oid";
		for (List<String> row : query(sql)) {
			String name = row.get(1);
			switch (row.get(0)) {
				case "e" -> this.script.statement("TYPE", name,
						"CREATE TYPE " + name + " AS ENUM (" + orEmpty(row.get(2)) + ")");
				case "d" -> this.script.statement("DOMAIN", name,
						"CREATE DOMAIN " + name + " AS " + row.get(3) + row.get(4)
								+ ((row.get(5) != null) ? " DEFAULT " + row.get(5) : "")
								+ ("true".equals(row.get(6)) ? " NOT NULL" : "") + orEmpty(row.get(7)));
				default -> this.script.statement("TYPE", name,
						"CREATE TYPE " + name + " AS (" + orEmpty(row.get(8)) + ")");
			}
		}
	}

	private void functions(boolean late) throws SQLException, IOException {
		// Functions come before the tables (a default, a generated column or a check may
		// call one), except those that cannot: an SQL-standard body is checked when it is
		// created, and a function that takes or returns a table's row type needs the table.
		String needsTables = "(p.prosqlbody IS NOT NULL OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_type y ON y.oid = d.refobjid "
				+ "JOIN pg_class r ON r.oid = y.typrelid WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
				+ "AND d.refclassid = 'pg_type'::regclass AND r.relkind <> 'c'))";
		for (List<String> row : query("SELECT p.oid::regprocedure::text, pg_get_functiondef(p.oid), p.prokind::text FROM pg_proc p "
				+ "WHERE p.pronamespace = ANY (" + this.scope + ") AND p.prokind IN ('f', 'p') AND "
				+ notFromExtension("'pg_proc'", "p.oid") + " AND " + (late ? "" : "NOT ") + needsTables + " ORDER BY p.oid")) {
			this.script.statement("p".equals(row.get(2)) ? "PROCEDURE" : "FUNCTION", row.get(0), row.get(1));
		}
	}

	private void sequences() throws SQLException, IOException {
		// Identity sequences are created with their column.
		for (List<String> row : query("SELECT c.oid::regclass::text, format_type(s.seqtypid, NULL), " + sequenceOptions()
				+ " FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid WHERE c.relkind = 'S' AND c.relnamespace = ANY ("
				+ this.scope + ") AND " + notFromExtension("'pg_class'", "c.oid")
				+ " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
				+ "AND d.deptype = 'i') ORDER BY c.oid")) {
			this.script.statement("SEQUENCE", row.get(0),
					"CREATE SEQUENCE " + row.get(0) + " AS " + row.get(1) + " " + row.get(2));
		}
	}

	private static String sequenceOptions() {
		return "'START WITH ' || s.seqstart || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin "
				+ "|| ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END";
	}

	private void tables() throws SQLException, IOException {
		List<List<String>> tables = query("SELECT c.oid::text, c.oid::regclass::text, c.relkind::text, c.relpersistence::text, "
				+ "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
				+ "(SELECT i.inhparent::text FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition), "
				+ "pg_get_expr(c.relpartbound, c.oid), array_to_string(c.reloptions, ', ') FROM pg_class c "
				+ "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = ANY (" + this.scope + ") AND "
				+ notFromExtension("'pg_class'", "c.oid") + " ORDER BY c.oid");
		// A partition after its parent, however deep the partitioning.
		Map<String, String> names = new HashMap<>();
		tables.forEach((table) -> names.put(table.get(0), table.get(1)));
		Set<String> written = new HashSet<>();
		List<List<String>> remaining = new ArrayList<>(tables);
		while (!remaining.isEmpty()) {
			List<List<String>> next = new ArrayList<>();
			for (List<String> table : remaining) {
				String parent = table.get(5);
				if (parent != null && names.containsKey(parent) && !written.contains(parent)) {
					next.add(table);
					continue;
				}
				createTable(table, (parent != null) ? parentName(parent, names) : null);
				written.add(table.get(0));
			}
			if (next.size() == remaining.size()) {
				throw new IllegalStateException("Partitions whose parents cannot be ordered: " + next);
			}
			remaining = next;
		}
	}

	private String parentName(String oid, Map<String, String> names) throws SQLException {
		String name = names.get(oid);
		return (name != null) ? name : query("SELECT " + oid + "::regclass::text").get(0).get(0);
	}

	private void createTable(List<String> table, @Nullable String parent) throws SQLException, IOException {
		String name = table.get(1);
		StringBuilder sql = new StringBuilder("CREATE ");
		if ("u".equals(table.get(3))) {
			sql.append("UNLOGGED ");
		}
		sql.append("TABLE ").append(name);
		if (parent != null) {
			// Columns, their defaults, identity and NOT NULL come from the parent.
			sql.append(" PARTITION OF ").append(parent).append(' ').append(table.get(6));
		}
		else {
			sql.append(" (\n    ").append(String.join(",\n    ", columns(table.get(0)))).append("\n)");
		}
		if (table.get(4) != null) {
			sql.append(" PARTITION BY ").append(table.get(4));
		}
		if (table.get(7) != null && !table.get(7).isEmpty()) {
			sql.append(" WITH (").append(table.get(7)).append(')');
		}
		this.script.statement("TABLE", name, sql.toString());
	}

	private List<String> columns(String table) throws SQLException {
		List<String> columns = new ArrayList<>();
		for (List<String> column : query("SELECT quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), "
				+ collate("a.attcollation", "a.atttypid") + ", pg_get_expr(d.adbin, d.adrelid), a.attgenerated::text, "
				+ "a.attidentity::text, a.attnotnull::text, "
				+ "(SELECT 'SEQUENCE NAME ' || s.seqrelid::regclass::text || ' ' || " + sequenceOptions()
				+ " FROM pg_sequence s WHERE s.seqrelid = pg_get_serial_sequence(a.attrelid::regclass::text, a.attname)::regclass) "
				+ "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
				+ "WHERE a.attrelid = " + table + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
			StringBuilder sql = new StringBuilder(column.get(0)).append(' ').append(column.get(1)).append(column.get(2));
			String expression = column.get(3);
			if ("s".equals(column.get(4))) {
				sql.append(" GENERATED ALWAYS AS (").append(expression).append(") STORED");
			}
			else if (expression != null) {
				sql.append(" DEFAULT ").append(expression);
			}
			String identity = column.get(5);
			if ("a".equals(identity) || "d".equals(identity)) {
				sql.append(" GENERATED ").append("a".equals(identity) ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY (")
					.append(column.get(7)).append(')');
			}
			if ("true".equals(column.get(6))) {
				sql.append(" NOT NULL");
			}
			columns.add(sql.toString());
		}
		return columns;
	}

	private void views() throws SQLException, IOException {
		List<List<String>> views = query("SELECT c.oid::text, c.oid::regclass::text, c.relkind::text, pg_get_viewdef(c.oid), "
				+ "array_to_string(c.reloptions, ', ') FROM pg_class c WHERE c.relkind IN ('v', 'm') AND c.relnamespace = ANY ("
				+ this.scope + ") AND " + notFromExtension("'pg_class'", "c.oid") + " ORDER BY c.oid");
		// A view after the views it reads from (CREATE OR REPLACE VIEW can make an older
		// view read a newer one).
		Map<String, Set<String>> dependencies = new HashMap<>();
		for (List<String> row : query("SELECT DISTINCT r.ev_class::text, d.refobjid::text FROM pg_rewrite r "
				+ "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass "
				+ "WHERE d.refobjid <> r.ev_class")) {
			dependencies.computeIfAbsent(row.get(0), (key) -> new HashSet<>()).add(row.get(1));
		}
		Map<String, List<String>> byOid = new LinkedHashMap<>();
		views.forEach((view) -> byOid.put(view.get(0), view));
		Set<String> written = new HashSet<>();
		for (String oid : byOid.keySet()) {
			writeView(oid, byOid, dependencies, written, new HashSet<>());
		}
	}

	private void writeView(String oid, Map<String, List<String>> views, Map<String, Set<String>> dependencies,
			Set<String> written, Set<String> visiting) throws IOException {
		if (written.contains(oid) || !visiting.add(oid)) {
			return;
		}
		for (String dependency : dependencies.getOrDefault(oid, Set.of())) {
			if (views.containsKey(dependency)) {
				writeView(dependency, views, dependencies, written, visiting);
			}
		}
		List<String> view = views.get(oid);
		String definition = view.get(3).strip();
		if (definition.endsWith(";")) {
			definition = definition.substring(0, definition.length() - 1);
		}
		String options = (view.get(4) != null && !view.get(4).isEmpty()) ? " WITH (" + view.get(4) + ")" : "";
		if ("m".equals(view.get(2))) {
			this.script.statement("MATERIALIZED VIEW", view.get(1),
					"CREATE MATERIALIZED VIEW " + view.get(1) + options + " AS\n" + definition + "\nWITH NO DATA");
		}
		else {
			this.script.statement("VIEW", view.get(1), "CREATE VIEW " + view.get(1) + options + " AS\n" + definition);
		}
		written.add(oid);
	}

	private void sequenceOwners() throws SQLException, IOException {
		for (List<String> row : query("SELECT c.oid::regclass::text, d.refobjid::regclass::text || '.' || quote_ident(a.attname) "
				+ "FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' "
				+ "AND d.refclassid = 'pg_class'::regclass JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
				+ "WHERE c.relkind = 'S' AND c.relnamespace = ANY (" + this.scope + ") AND " + notFromExtension("'pg_class'", "c.oid")
				+ " ORDER BY c.oid")) {
			this.script.statement("SEQUENCE OWNED BY", row.get(0), "ALTER SEQUENCE " + row.get(0) + " OWNED BY " + row.get(1));
		}
	}

	private void data() throws SQLException, IOException {
		CopyManager copy = this.connection.unwrap(PGConnection.class).getCopyAPI();
		for (List<String> table : query("SELECT c.oid::regclass::text, (SELECT string_agg(quote_ident(a.attname), ', ' "
				+ "ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
				+ "AND a.attgenerated = '') FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = ANY (" + this.scope
				+ ") AND " + notFromExtension("'pg_class'", "c.oid") + " ORDER BY c.oid")) {
			String name = table.get(0);
			String columns = orEmpty(table.get(1));
			this.script.copy(name, columns, (output) -> {
				try {
					// Streamed: the rows go from the socket to the file, never a table in memory.
					return copy.copyOut("COPY " + name + ScriptWriter.columnList(columns) + " TO STDOUT", output);
				}
				catch (SQLException ex) {
					throw new IOException(ex);
				}
			});
		}
	}

	private void sequenceValues() throws SQLException, IOException {
		for (List<String> row : query("SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind = 'S' AND c.relnamespace = ANY ("
				+ this.scope + ") AND " + notFromExtension("'pg_class'", "c.oid") + " ORDER BY c.oid")) {
			List<String> value = query("SELECT last_value::text, is_called::text FROM " + row.get(0)).get(0);
			this.script.statement("SEQUENCE SET", row.get(0), "SELECT pg_catalog.setval(" + literal(row.get(0)) + ", "
					+ value.get(0) + ", " + value.get(1) + ")");
		}
	}

	private void constraints(boolean foreignKeys) throws SQLException, IOException {
		// Constraints a partition inherits from its parent are created with the parent's.
		for (List<String> row : query("SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid) "
				+ "FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = ANY (" + this.scope
				+ ") AND c.contype " + (foreignKeys ? "= 'f'" : "IN ('p', 'u', 'c', 'x')") + " AND c.conparentid = 0 "
				+ "AND (c.contype <> 'c' OR c.conislocal) AND " + notFromExtension("'pg_class'", "r.oid")
				+ " ORDER BY r.oid, c.contype, c.conname")) {
			this.script.statement(foreignKeys ? "FK CONSTRAINT" : "CONSTRAINT", row.get(1) + " ON " + row.get(0),
					"ALTER TABLE " + row.get(0) + " ADD CONSTRAINT " + row.get(1) + " " + row.get(2));
		}
	}

	private void indexes() throws SQLException, IOException {
		// Indexes of constraints come with them; a partition's copy of its parent's index
		// comes with the parent's, which is therefore created without ONLY.
		for (List<String> row : query("SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), t.relkind::text "
				+ "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid WHERE t.relnamespace = ANY (" + this.scope
				+ ") AND t.relkind IN ('r', 'p', 'm') AND " + notFromExtension("'pg_class'", "t.oid")
				+ " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')) "
				+ "AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) ORDER BY i.indexrelid")) {
			String definition = row.get(1);
			if ("p".equals(row.get(2))) {
				definition = definition.replaceFirst(" ON ONLY ", " ON ");
			}
			this.script.statement("INDEX", row.get(0), definition);
		}
	}

	private void triggers() throws SQLException, IOException {
		for (List<String> row : query("SELECT quote_ident(t.tgname) || ' ON ' || t.tgrelid::regclass::text, pg_get_triggerdef(t.oid), "
				+ "t.tgenabled::text, t.tgrelid::regclass::text, quote_ident(t.tgname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
				+ "WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND c.relnamespace = ANY (" + this.scope + ") AND "
				+ notFromExtension("'pg_class'", "c.oid") + " ORDER BY t.oid")) {
			this.script.statement("TRIGGER", row.get(0), row.get(1));
			String enabled = row.get(2);
			if (!"O".equals(enabled)) {
				String mode = switch (enabled) {
					case "D" -> "DISABLE";
					case "R" -> "ENABLE REPLICA";
					default -> "ENABLE ALWAYS";
				};
				this.script.statement("TRIGGER STATE", row.get(0),
						"ALTER TABLE " + row.get(3) + " " + mode + " TRIGGER " + row.get(4));
			}
		}
	}

	private void refreshMaterializedViews() throws SQLException, IOException {
		for (List<String> row : query("SELECT c.oid::regclass::text FROM pg_class c WHERE c.relkind = 'm' AND c.relispopulated "
				+ "AND c.relnamespace = ANY (" + this.scope + ") AND " + notFromExtension("'pg_class'", "c.oid")
				+ " ORDER BY c.oid")) {
			this.script.statement("MATERIALIZED VIEW DATA", row.get(0), "REFRESH MATERIALIZED VIEW " + row.get(0));
		}
	}

	private void comments() throws SQLException, IOException {
		for (List<String> row : query("SELECT o.type, o.identity, quote_literal(d.description) FROM pg_description d "
				+ "CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o "
				+ "WHERE (o.schema IN (SELECT quote_ident(nspname) FROM pg_namespace WHERE oid = ANY (" + this.scope + ")) "
				+ "OR (o.type = 'schema' AND d.objoid = ANY (" + this.scope + "))) "
				+ "AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e') "
				+ "ORDER BY d.classoid, d.objoid, d.objsubid")) {
			String target = commentTarget(row.get(0), row.get(1));
			if (target != null) {
				this.script.statement("COMMENT", target, "COMMENT ON " + target + " IS " + row.get(2));
			}
		}
	}

	private static @Nullable String commentTarget(String type, String identity) {
		return switch (type) {
			case "table column", "view column", "materialized view column", "composite type column" -> "COLUMN " + identity;
			case "table constraint" -> "CONSTRAINT " + identity;
			case "domain constraint" -> "CONSTRAINT " + identity.replaceFirst(" on ", " ON DOMAIN ");
			case "composite type" -> "TYPE " + identity;
			case "schema", "table", "view", "materialized view", "sequence", "index", "type", "domain", "function",
					"procedure", "trigger" ->
				type.toUpperCase(java.util.Locale.ROOT) + " " + identity;
			default -> null;
		};
	}

	private static String collate(String collation, String type) {
		return "COALESCE((SELECT ' COLLATE ' || quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co "
				+ "JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = " + collation + " AND " + collation
				+ " <> (SELECT ty.typcollation FROM pg_type ty WHERE ty.oid = " + type + ")), '')";
	}

	private static String notFromExtension(String catalog, String oid) {
		return String.format(NOT_FROM_EXTENSION, catalog, oid);
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	static String literal(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

	private List<List<String>> query(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			int columns = result.getMetaData().getColumnCount();
			List<List<String>> rows = new ArrayList<>();
			while (result.next()) {
				List<String> row = new ArrayList<>(columns);
				for (int i = 1; i <= columns; i++) {
					row.add(result.getString(i));
				}
				rows.add(row);
			}
			return rows;
		}
	}

}
