package io.apiforge.migrations.backup.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds what the {@code jdbc} backup cannot rebuild faithfully, so that it fails instead
 * of writing a backup that silently lacks it: rules, row-level security and its
 * policies, table inheritance, typed and foreign tables, aggregates, operators and their
 * classes, collations, text search objects, conversions, extended statistics, range and
 * base types; for the whole database also event triggers, large objects, foreign
 * servers, publications, subscriptions, casts, languages and access methods. An
 * extension's own objects are the extension's business and never count.
 *
 * @author apiforge
 */
final class UnsupportedObjects {

	private UnsupportedObjects() {
	}

	/**
	 * Return the objects that cannot be backed up, each as {@code kind name}.
	 * @param connection a connection in the dump's transaction
	 * @param scope the dumped schemas' oids, as an SQL array literal
	 * @param wholeDatabase whether the whole database is dumped
	 * @return the objects; empty when everything can be
	 */
	static List<String> find(Connection connection, String scope, boolean wholeDatabase) throws SQLException {
		List<String> parts = new ArrayList<>(List.of(
				"SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || c.oid::regclass FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
						+ "WHERE r.rulename <> '_RETURN' AND c.relnamespace = ANY (%1$s) AND " + notExt("pg_class", "c.oid"),
				"SELECT 'policy ' || quote_ident(p.polname) || ' on ' || c.oid::regclass FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
						+ "WHERE c.relnamespace = ANY (%1$s)",
				"SELECT 'row-level security on ' || c.oid::regclass FROM pg_class c WHERE (c.relrowsecurity OR c.relforcerowsecurity) "
						+ "AND c.relnamespace = ANY (%1$s)",
				"SELECT 'foreign table ' || c.oid::regclass FROM pg_class c WHERE c.relkind = 'f' AND c.relnamespace = ANY (%1$s) AND "
						+ notExt("pg_class", "c.oid"),
				"SELECT 'typed table ' || c.oid::regclass FROM pg_class c WHERE c.reloftype <> 0 AND c.relnamespace = ANY (%1$s) AND "
						+ notExt("pg_class", "c.oid"),
				"SELECT 'table inheritance ' || c.oid::regclass || ' inherits ' || i.inhparent::regclass FROM pg_inherits i "
						+ "JOIN pg_class c ON c.oid = i.inhrelid WHERE NOT c.relispartition AND c.relkind IN ('r', 'p', 'f') "
						+ "AND c.relnamespace = ANY (%1$s) AND " + notExt("pg_class", "c.oid"),
				"SELECT CASE p.prokind WHEN 'a' THEN 'aggregate ' ELSE 'window function ' END || p.oid::regprocedure FROM pg_proc p "
						+ "WHERE p.prokind IN ('a', 'w') AND p.pronamespace = ANY (%1$s) AND " + notExt("pg_proc", "p.oid"),
				"SELECT 'operator ' || o.oid::regoperator FROM pg_operator o WHERE o.oprnamespace = ANY (%1$s) AND "
						+ notExt("pg_operator", "o.oid"),
				"SELECT 'operator class ' || quote_ident(o.opcname) FROM pg_opclass o WHERE o.opcnamespace = ANY (%1$s) AND "
						+ notExt("pg_opclass", "o.oid"),
				"SELECT 'operator family ' || quote_ident(o.opfname) FROM pg_opfamily o WHERE o.opfnamespace = ANY (%1$s) AND "
						+ notExt("pg_opfamily", "o.oid"),
				"SELECT 'collation ' || quote_ident(o.collname) FROM pg_collation o WHERE o.collnamespace = ANY (%1$s) AND "
						+ notExt("pg_collation", "o.oid"),
				"SELECT 'text search configuration ' || quote_ident(o.cfgname) FROM pg_ts_config o WHERE o.cfgnamespace = ANY (%1$s) AND "
						+ notExt("pg_ts_config", "o.oid"),
				"SELECT 'text search dictionary ' || quote_ident(o.dictname) FROM pg_ts_dict o WHERE o.dictnamespace = ANY (%1$s) AND "
						+ notExt("pg_ts_dict", "o.oid"),
				"SELECT 'text search parser ' || quote_ident(o.prsname) FROM pg_ts_parser o WHERE o.prsnamespace = ANY (%1$s) AND "
						+ notExt("pg_ts_parser", "o.oid"),
				"SELECT 'text search template ' || quote_ident(o.tmplname) FROM pg_ts_template o WHERE o.tmplnamespace = ANY (%1$s) AND "
						+ notExt("pg_ts_template", "o.oid"),
				"SELECT 'conversion ' || quote_ident(o.conname) FROM pg_conversion o WHERE o.connamespace = ANY (%1$s) AND "
						+ notExt("pg_conversion", "o.oid"),
				"SELECT 'statistics object ' || quote_ident(o.stxname) FROM pg_statistic_ext o WHERE o.stxnamespace = ANY (%1$s) AND "
						+ notExt("pg_statistic_ext", "o.oid"),
				"SELECT CASE t.typtype WHEN 'r' THEN 'range type ' ELSE 'base type ' END || format_type(t.oid, NULL) FROM pg_type t "
						+ "WHERE t.typtype IN ('b', 'r') AND t.typnamespace = ANY (%1$s) AND " + notExt("pg_type", "t.oid")
						+ " AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)"));
		if (wholeDatabase) {
			parts.addAll(List.of(
					"SELECT 'event trigger ' || quote_ident(o.evtname) FROM pg_event_trigger o WHERE "
							+ notExt("pg_event_trigger", "o.oid"),
					"SELECT 'large objects (' || count(*) || ')' FROM pg_largeobject_metadata HAVING count(*) > 0",
					"SELECT 'foreign-data wrapper ' || quote_ident(o.fdwname) FROM pg_foreign_data_wrapper o WHERE "
							+ notExt("pg_foreign_data_wrapper", "o.oid"),
					"SELECT 'foreign server ' || quote_ident(o.srvname) FROM pg_foreign_server o WHERE "
							+ notExt("pg_foreign_server", "o.oid"),
					"SELECT 'publication ' || quote_ident(o.pubname) FROM pg_publication o",
					"SELECT 'subscription ' || quote_ident(o.subname) FROM pg_subscription o "
							+ "WHERE o.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
					"SELECT 'cast ' || format_type(o.castsource, NULL) || ' as ' || format_type(o.casttarget, NULL) FROM pg_cast o "
							+ "WHERE o.oid >= 16384 AND " + notExt("pg_cast", "o.oid"),
					"SELECT 'language ' || quote_ident(o.lanname) FROM pg_language o WHERE o.oid >= 16384 AND "
							+ notExt("pg_language", "o.oid"),
					"SELECT 'access method ' || quote_ident(o.amname) FROM pg_am o WHERE o.oid >= 16384 AND " + notExt("pg_am", "o.oid")));
		}
		String sql = String.format(String.join("\nUNION ALL\n", parts.stream().map((part) -> "(" + part + ")").toList()),
				scope) + " ORDER BY 1";
		List<String> found = new ArrayList<>();
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			while (result.next()) {
				found.add(result.getString(1));
			}
		}
		return found;
	}

	private static String notExt(String catalog, String oid) {
		return "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" + catalog + "'::regclass AND e.objid = " + oid
				+ " AND e.deptype = 'e')";
	}

}
