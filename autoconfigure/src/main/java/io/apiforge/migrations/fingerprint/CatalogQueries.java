package io.apiforge.migrations.fingerprint;

import java.util.List;

/**
 * The SQL that reads a {@link SchemaFingerprint}, all in one place. Each query returns
 * rows of {@code (kind, identity, definition)}, normalised in SQL with PostgreSQL's own
 * functions ({@code pg_get_*}, {@code format_type}, {@code quote_ident}), and takes the
 * same three parameters, bound, never concatenated: the managed schemas (a
 * {@code text[]}), the default schema, and the names of the starter's own tables in it
 * to leave out (a {@code text[]}: the history table, the stored fingerprints).
 * <p>
 * The queries run with a fixed {@code search_path} ({@link #SETTINGS}), so that
 * {@code pg_get_*} qualify every object of the managed schemas with its schema, and with
 * fixed output settings, so that constants in defaults and partition bounds render alike
 * whoever reads them.
 *
 * @author apiforge
 */
final class CatalogQueries {

	/**
	 * The session settings of the read, local to its transaction. pg_dump sets the same
	 * for the same reason.
	 */
	static final List<String> SETTINGS = List.of("SET LOCAL search_path = pg_catalog", "SET LOCAL TimeZone = 'UTC'",
			"SET LOCAL DateStyle = 'ISO, YMD'", "SET LOCAL IntervalStyle = 'postgres'",
			"SET LOCAL extra_float_digits = 3", "SET LOCAL bytea_output = 'hex'",
			"SET LOCAL quote_all_identifiers = off");

	/**
	 * The server's major version and the schema the connection uses by default, read
	 * before {@link #SETTINGS} change the search path.
	 */
	static final String SERVER = "SELECT current_setting('server_version_num')::int / 10000, current_schema()";

	/**
	 * What the queries select from: {@code s} the managed schemas, {@code r} their
	 * relations (tables, partitioned and foreign tables, views, materialized views,
	 * sequences) but the starter's own tables, {@code fn} their routines, {@code ty} their enum,
	 * domain, composite and range types; none that an extension owns.
	 */
	private static final String MANAGED = """
			WITH s AS (
			  SELECT n.oid, n.nspname FROM pg_namespace n WHERE n.nspname = ANY (?::text[])
			), r AS (
			  SELECT c.oid, c.relkind, s.nspname, quote_ident(s.nspname) || '.' || quote_ident(c.relname) AS ident
			  FROM pg_class c JOIN s ON s.oid = c.relnamespace
			  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND NOT (s.nspname = ? AND c.relname = ANY (?::text[]))
			    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
			      AND d.deptype = 'e')
			), fn AS (
			  SELECT p.oid, p.prokind FROM pg_proc p JOIN s ON s.oid = p.pronamespace
			  WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
			    AND d.deptype = 'e')
			), ty AS (
			  SELECT t.oid, t.typtype, quote_ident(s.nspname) || '.' || quote_ident(t.typname) AS ident
			  FROM pg_type t JOIN s ON s.oid = t.typnamespace
			  WHERE (t.typtype IN ('e', 'd', 'r')
			      OR (t.typtype = 'c' AND EXISTS (SELECT FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
			    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid
			      AND d.deptype = 'e')
			)
			""";

	private static final String SCHEMAS = "SELECT 'schema', quote_ident(s.nspname), '' FROM s";

	private static final String RELATIONS = """
			SELECT CASE r.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END, r.ident,
			  CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid) ELSE concat_ws(' ',
			    CASE r.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
			    CASE WHEN c.relpersistence = 'u' THEN 'UNLOGGED' END,
			    'PARTITION BY ' || pg_get_partkeydef(c.oid),
			    (SELECT 'PARTITION OF ' || quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) || ' '
			        || pg_get_expr(c.relpartbound, c.oid)
			      FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
			      WHERE i.inhrelid = c.oid AND c.relispartition),
			    (SELECT 'INHERITS (' || string_agg(quote_ident(pn.nspname) || '.' || quote_ident(pc.relname), ', '
			        ORDER BY i.inhseqno) || ')'
			      FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
			      WHERE i.inhrelid = c.oid AND NOT c.relispartition),
			    (SELECT 'SERVER ' || quote_ident(fs.srvname) || CASE WHEN ft.ftoptions IS NULL THEN '' ELSE
			        ' OPTIONS (' || array_to_string(ARRAY(SELECT o FROM unnest(ft.ftoptions) o ORDER BY o), ', ') || ')' END
			      FROM pg_foreign_table ft JOIN pg_foreign_server fs ON fs.oid = ft.ftserver WHERE ft.ftrelid = c.oid),
			    CASE WHEN c.reloptions IS NOT NULL THEN
			      'WITH (' || array_to_string(ARRAY(SELECT o FROM unnest(c.reloptions) o ORDER BY o), ', ') || ')' END,
			    CASE WHEN c.relrowsecurity THEN 'ROW LEVEL SECURITY' END,
			    CASE WHEN c.relforcerowsecurity THEN 'FORCE ROW LEVEL SECURITY' END) END
			FROM r JOIN pg_class c ON c.oid = r.oid WHERE r.relkind <> 'S'
			""";

	private static final String COLUMNS = """
			SELECT 'column', r.ident || '.' || quote_ident(a.attname), concat_ws(' ',
			  format_type(a.atttypid, a.atttypmod),
			  CASE WHEN a.attcollation <> t.typcollation THEN 'COLLATE ' || a.attcollation::regcollation END,
			  CASE WHEN a.attnotnull THEN 'NOT NULL' END,
			  CASE a.attgenerated WHEN 's' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
			    WHEN 'v' THEN 'GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') VIRTUAL'
			    ELSE 'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END,
			  CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
			    WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END)
			FROM r JOIN pg_attribute a ON a.attrelid = r.oid JOIN pg_type t ON t.oid = a.atttypid
			  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE r.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
			""";

	private static final String CONSTRAINTS = """
			SELECT 'constraint', quote_ident(co.conname) || ' ON ' || r.ident, pg_get_constraintdef(co.oid)
			FROM r JOIN pg_constraint co ON co.conrelid = r.oid
			WHERE co.contype <> 'n'
			""";

	private static final String INDEXES = """
			SELECT 'index', quote_ident(r.nspname) || '.' || quote_ident(ic.relname),
			  pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' -- INVALID' END
			FROM r JOIN pg_index i ON i.indrelid = r.oid JOIN pg_class ic ON ic.oid = i.indexrelid
			""";

	private static final String SEQUENCES = """
			SELECT 'sequence', r.ident, concat_ws(' ', 'AS ' || format_type(q.seqtypid, NULL), 'START ' || q.seqstart,
			  'INCREMENT ' || q.seqincrement, 'MINVALUE ' || q.seqmin, 'MAXVALUE ' || q.seqmax, 'CACHE ' || q.seqcache,
			  CASE WHEN q.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END,
			  (SELECT 'OWNED BY ' || quote_ident(tn.nspname) || '.' || quote_ident(tc.relname) || '.' || quote_ident(a.attname)
			    FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON tn.oid = tc.relnamespace
			      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
			    WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass
			      AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0))
			FROM r JOIN pg_sequence q ON q.seqrelid = r.oid
			""";

	private static final String ROUTINES = """
			SELECT CASE fn.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
			  fn.oid::regprocedure::text,
			  CASE WHEN fn.prokind <> 'a' THEN pg_get_functiondef(fn.oid) ELSE (
			    SELECT concat_ws(', ', 'SFUNC = ' || a.aggtransfn::oid::regprocedure,
			      'STYPE = ' || format_type(a.aggtranstype, NULL),
			      CASE WHEN a.aggfinalfn::oid <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::oid::regprocedure END,
			      CASE WHEN a.aggcombinefn::oid <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::oid::regprocedure END,
			      'INITCOND = ' || quote_literal(a.agginitval), 'KIND = ' || a.aggkind::text)
			    FROM pg_aggregate a WHERE a.aggfnoid = fn.oid) END
			FROM fn
			""";

	private static final String TRIGGERS = """
			SELECT 'trigger', quote_ident(t.tgname) || ' ON ' || r.ident,
			  pg_get_triggerdef(t.oid) || CASE t.tgenabled WHEN 'D' THEN ' -- DISABLED' WHEN 'R' THEN ' -- ENABLE REPLICA'
			    WHEN 'A' THEN ' -- ENABLE ALWAYS' ELSE '' END
			FROM r JOIN pg_trigger t ON t.tgrelid = r.oid
			WHERE NOT t.tgisinternal
			""";

	private static final String RULES = """
			SELECT 'rule', quote_ident(w.rulename) || ' ON ' || r.ident, pg_get_ruledef(w.oid)
			FROM r JOIN pg_rewrite w ON w.ev_class = r.oid
			WHERE w.rulename <> '_RETURN'
			""";

	/**
	 * What {@code pg_policies} shows, read from {@code pg_policy} to join by the table's
	 * oid, with the roles sorted.
	 */
	private static final String POLICIES = """
			SELECT 'policy', quote_ident(p.polname) || ' ON ' || r.ident, concat_ws(' ',
			  CASE WHEN p.polpermissive THEN 'AS PERMISSIVE' ELSE 'AS RESTRICTIVE' END,
			  'FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
			    WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
			  'TO ' || (SELECT string_agg(g.name, ', ' ORDER BY g.name) FROM (SELECT CASE WHEN x = 0::oid THEN 'PUBLIC'
			    ELSE quote_ident(pg_get_userbyid(x)) END AS name FROM unnest(p.polroles) x) g),
			  'USING (' || pg_get_expr(p.polqual, p.polrelid) || ')',
			  'WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')')
			FROM r JOIN pg_policy p ON p.polrelid = r.oid
			""";

	private static final String STATISTICS = """
			SELECT 'statistics', quote_ident(sn.nspname) || '.' || quote_ident(st.stxname), pg_get_statisticsobjdef(st.oid)
			FROM r JOIN pg_statistic_ext st ON st.stxrelid = r.oid JOIN pg_namespace sn ON sn.oid = st.stxnamespace
			""";

	private static final String TYPES = """
			SELECT CASE ty.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite type'
			  ELSE 'range type' END, ty.ident, CASE ty.typtype
			  WHEN 'e' THEN (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
			    FROM pg_enum e WHERE e.enumtypid = ty.oid)
			  WHEN 'd' THEN concat_ws(' ', format_type(t.typbasetype, t.typtypmod),
			    CASE WHEN t.typcollation <> b.typcollation THEN 'COLLATE ' || t.typcollation::regcollation END,
			    'DEFAULT ' || pg_get_expr(t.typdefaultbin, 0), CASE WHEN t.typnotnull THEN 'NOT NULL' END,
			    (SELECT string_agg('CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), ' '
			        ORDER BY c.conname)
			      FROM pg_constraint c WHERE c.contypid = ty.oid AND c.contype <> 'n'))
			  WHEN 'c' THEN (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
			      || CASE WHEN a.attcollation <> at.typcollation THEN ' COLLATE ' || a.attcollation::regcollation ELSE '' END,
			      ', ' ORDER BY a.attnum)
			    FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
			    WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
			  ELSE (SELECT concat_ws(', ', 'SUBTYPE = ' || format_type(g.rngsubtype, NULL),
			      CASE WHEN g.rngcollation <> 0::oid THEN 'COLLATION = ' || g.rngcollation::regcollation END,
			      (SELECT 'SUBTYPE_OPCLASS = ' || quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname)
			        FROM pg_opclass oc JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace WHERE oc.oid = g.rngsubopc),
			      CASE WHEN g.rngcanonical::oid <> 0 THEN 'CANONICAL = ' || g.rngcanonical::oid::regprocedure END,
			      CASE WHEN g.rngsubdiff::oid <> 0 THEN 'SUBTYPE_DIFF = ' || g.rngsubdiff::oid::regprocedure END)
			    FROM pg_range g WHERE g.rngtypid = ty.oid) END
			FROM ty JOIN pg_type t ON t.oid = ty.oid LEFT JOIN pg_type b ON b.oid = t.typbasetype
			""";

	/**
	 * Grants, as {@code aclexplode} lists them, one line a grantee (privileges sorted),
	 * lines sorted; a {@code NULL} ACL is the object's default ({@code acldefault}), so a
	 * grant revoked again compares equal to none. Owners of the same objects.
	 */
	private static final String PRIVILEGES = """
			, acl AS (
			  SELECT 'SCHEMA ' || quote_ident(n.nspname) AS object, coalesce(n.nspacl, acldefault('n', n.nspowner)) AS acl,
			    n.nspowner AS owner
			  FROM s JOIN pg_namespace n ON n.oid = s.oid
			  UNION ALL
			  SELECT CASE r.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || r.ident,
			    coalesce(c.relacl, acldefault(CASE r.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner)), c.relowner
			  FROM r JOIN pg_class c ON c.oid = r.oid
			  UNION ALL
			  SELECT 'COLUMN ' || r.ident || '.' || quote_ident(a.attname), a.attacl, NULL
			  FROM r JOIN pg_attribute a ON a.attrelid = r.oid
			  WHERE a.attnum > 0 AND NOT a.attisdropped AND cardinality(a.attacl) > 0
			  UNION ALL
			  SELECT CASE fn.prokind WHEN 'p' THEN 'PROCEDURE ' ELSE 'FUNCTION ' END || fn.oid::regprocedure,
			    coalesce(p.proacl, acldefault('f', p.proowner)), p.proowner
			  FROM fn JOIN pg_proc p ON p.oid = fn.oid
			  UNION ALL
			  SELECT CASE ty.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END || ty.ident,
			    coalesce(t.typacl, acldefault('T', t.typowner)), t.typowner
			  FROM ty JOIN pg_type t ON t.oid = ty.oid
			)
			SELECT 'privileges', acl.object, coalesce((SELECT string_agg(g.line, E'\\n' ORDER BY g.line) FROM (
			    SELECT string_agg(e.privilege_type, ', ' ORDER BY e.privilege_type) || ' TO '
			      || CASE WHEN e.grantee = 0::oid THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(e.grantee)) END
			      || CASE WHEN e.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS line
			    FROM aclexplode(acl.acl) e GROUP BY e.grantee, e.is_grantable) g), 'none')
			FROM acl
			UNION ALL
			SELECT 'owner', acl.object, quote_ident(pg_get_userbyid(acl.owner)) FROM acl WHERE acl.owner IS NOT NULL
			""";

	/**
	 * Every query, each to be run with the three parameters.
	 */
	static final List<String> OBJECTS = List.of(MANAGED + SCHEMAS, MANAGED + RELATIONS, MANAGED + COLUMNS,
			MANAGED + CONSTRAINTS, MANAGED + INDEXES, MANAGED + SEQUENCES, MANAGED + ROUTINES, MANAGED + TRIGGERS,
			MANAGED + RULES, MANAGED + POLICIES, MANAGED + STATISTICS, MANAGED + TYPES,
			// the privileges add a CTE of their own to the managed objects'
			MANAGED + PRIVILEGES);

	private CatalogQueries() {
	}

}
