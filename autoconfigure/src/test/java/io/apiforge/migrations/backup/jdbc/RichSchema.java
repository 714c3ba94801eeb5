package io.apiforge.migrations.backup.jdbc;

import java.util.ArrayList;
import java.util.List;

import io.apiforge.migrations.testsupport.TestDatabase;

/**
 * A schema with one of each kind of object the {@code jdbc} backup rebuilds (and the schema
 * fingerprint describes), mixed-case and quoted names, and data that is awkward to escape.
 */
public final class RichSchema {

	private RichSchema() {
	}

	public static void create(TestDatabase database) {
		List<String> statements = List.of("CREATE SCHEMA \"Sales\"",
				"CREATE TYPE \"Sales\".mood AS ENUM ('sad', 'ok', 'happy', 'it''s')",
				"CREATE DOMAIN \"Sales\".positive_money AS numeric(12, 2) DEFAULT 0 NOT NULL CHECK (VALUE >= 0)",
				"CREATE TYPE \"Sales\".address AS (street text, city text COLLATE \"C\", zip varchar(10))",
				"CREATE TABLE \"Sales\".\"Customer\" (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5) PRIMARY KEY, "
						+ "\"Full Name\" text COLLATE \"C\" NOT NULL, email text, mood \"Sales\".mood DEFAULT 'ok', "
						+ "balance \"Sales\".positive_money, home \"Sales\".address, tags text[], data jsonb, photo bytea, "
						+ "name_length int GENERATED ALWAYS AS (length(\"Full Name\")) STORED, "
						+ "created timestamptz NOT NULL DEFAULT now())",
				"CREATE UNIQUE INDEX customer_email_lower ON \"Sales\".\"Customer\" (lower(email))",
				"CREATE INDEX customer_happy ON \"Sales\".\"Customer\" (id) WHERE mood = 'happy'",
				"CREATE TABLE \"Sales\".events (id bigserial, at timestamptz NOT NULL, customer_id bigint, payload jsonb, "
						+ "PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
				"CREATE TABLE \"Sales\".events_2025 PARTITION OF \"Sales\".events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
				"CREATE TABLE \"Sales\".events_2026 PARTITION OF \"Sales\".events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
				"CREATE TABLE \"Sales\".events_other PARTITION OF \"Sales\".events DEFAULT",
				"CREATE INDEX events_customer ON \"Sales\".events (customer_id)",
				"ALTER TABLE \"Sales\".events ADD CONSTRAINT events_customer_fk FOREIGN KEY (customer_id) "
						+ "REFERENCES \"Sales\".\"Customer\" (id) DEFERRABLE INITIALLY DEFERRED",
				"CREATE TABLE public.audit (id serial PRIMARY KEY, customer_id bigint, note text, at timestamptz DEFAULT now())",
				"CREATE FUNCTION public.audit_customer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
						+ "INSERT INTO public.audit (customer_id, note) VALUES (NEW.id, 'changed; ' || TG_OP); RETURN NEW; END $$",
				"CREATE TRIGGER customer_audit AFTER INSERT OR UPDATE ON \"Sales\".\"Customer\" FOR EACH ROW "
						+ "EXECUTE FUNCTION public.audit_customer()",
				"CREATE VIEW \"Sales\".happy_customers AS SELECT id, \"Full Name\" FROM \"Sales\".\"Customer\" WHERE mood = 'happy'",
				"CREATE VIEW \"Sales\".\"Happy Names\" AS SELECT \"Full Name\" FROM \"Sales\".happy_customers",
				"CREATE MATERIALIZED VIEW \"Sales\".customer_counts AS SELECT mood, count(*) AS n FROM \"Sales\".\"Customer\" GROUP BY mood",
				"CREATE UNIQUE INDEX customer_counts_mood ON \"Sales\".customer_counts (mood)",
				"CREATE SEQUENCE public.invoice_numbers START 1000 INCREMENT 10",
				"CREATE TABLE public.no_columns ()", "INSERT INTO public.no_columns DEFAULT VALUES",
				"SELECT nextval('public.invoice_numbers')", "SELECT nextval('public.invoice_numbers')",
				"COMMENT ON SCHEMA \"Sales\" IS 'sales data'",
				"COMMENT ON TABLE \"Sales\".\"Customer\" IS 'People who buy; it''s \"quoted\" \\ back'",
				"COMMENT ON COLUMN \"Sales\".\"Customer\".\"Full Name\" IS 'as written'",
				"COMMENT ON FUNCTION public.audit_customer() IS 'writes the audit'",
				"COMMENT ON TYPE \"Sales\".mood IS 'how they feel'",
				"COMMENT ON DOMAIN \"Sales\".positive_money IS 'never negative'",
				"COMMENT ON CONSTRAINT events_customer_fk ON \"Sales\".events IS 'deferred'",
				"COMMENT ON VIEW \"Sales\".happy_customers IS 'the happy ones'",
				"COMMENT ON INDEX \"Sales\".customer_happy IS 'partial'",
				"COMMENT ON TRIGGER customer_audit ON \"Sales\".\"Customer\" IS 'audits'",
				"INSERT INTO \"Sales\".\"Customer\" (\"Full Name\", email, mood, balance, home, tags, data, photo) VALUES "
						+ "('O''Brien \\ back', 'a@x', 'happy', 10.5, ROW('1 Main St', 'Zürich', '8000'), "
						+ "ARRAY['a', 'b\"c', 'd,e', NULL], '{\"k\": \"v\\\\n\", \"n\": [1, 2]}', '\\x00ff10'), "
						+ "(E'line1\\nline2\\ttab\\r\\\\.', NULL, 'it''s', 0, NULL, '{}', NULL, NULL), "
						+ "('Zoë 日本 🎉', 'Z@x', 'sad', 3, ROW(NULL, NULL, NULL), NULL, 'null', ''::bytea)",
				"INSERT INTO \"Sales\".\"Customer\" (\"Full Name\", email, balance, tags, data, photo, created) "
						+ "SELECT 'customer ' || g, 'c' || g || '@x', g, ARRAY[g::text], jsonb_build_object('n', g), "
						+ "decode(md5(g::text), 'hex'), timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour' "
						+ "FROM generate_series(1, 200) g",
				"INSERT INTO \"Sales\".events (at, customer_id, payload) SELECT timestamptz '2025-06-01 00:00:00+00' "
						+ "+ (g % 3) * interval '365 days', 100 + 5 * (g % 200), jsonb_build_object('g', g) FROM generate_series(1, 300) g",
				"UPDATE public.audit SET at = timestamptz '2026-01-01 00:00:00+00'",
				"REFRESH MATERIALIZED VIEW \"Sales\".customer_counts");
		// One session for all of them: a connection each made this set-up cost more than
		// the tests that use it.
		database.inOneSession((jdbc) -> {
			statements.forEach(jdbc::execute);
			return null;
		});
	}

	/**
	 * What {@link io.apiforge.migrations.testsupport.DatabaseSnapshot} does not hold:
	 * types, views, functions, triggers, partitions, comments, materialized view rows.
	 */
	static List<String> definitions(TestDatabase database) {
		String user = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
		List<String> queries = List.of(
				"SELECT n.nspname || ' ' || t.typname || ' ' || t.typtype::text || ' ' || format_type(t.typbasetype, t.typtypmod) "
						+ "|| ' ' || coalesce(t.typdefault, '') || ' ' || t.typnotnull || ' ' || coalesce((SELECT string_agg(e.enumlabel, ',' "
						+ "ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '') || ' ' || coalesce((SELECT "
						+ "string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attcollation::regcollation, ',' "
						+ "ORDER BY a.attnum) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.oid = t.typrelid "
						+ "AND c.relkind = 'c' AND a.attnum > 0), '') FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
						+ "WHERE n.nspname " + user + " AND t.typtype IN ('e', 'd', 'c') ORDER BY 1",
				"SELECT schemaname || ' ' || viewname || ' ' || definition FROM pg_views WHERE schemaname " + user + " ORDER BY 1",
				"SELECT schemaname || ' ' || matviewname || ' ' || definition || ' ' || ispopulated FROM pg_matviews ORDER BY 1",
				"SELECT mood || ' ' || n FROM \"Sales\".customer_counts ORDER BY 1",
				"SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
						+ "WHERE n.nspname " + user + " ORDER BY 1",
				"SELECT pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text FROM pg_trigger t WHERE NOT t.tgisinternal ORDER BY 1",
				"SELECT c.oid::regclass || ' ' || c.relkind::text || ' ' || coalesce(pg_get_expr(c.relpartbound, c.oid), '') || ' ' "
						+ "|| coalesce(pg_get_partkeydef(c.oid), '') || ' ' || c.relpersistence::text FROM pg_class c JOIN pg_namespace n "
						+ "ON n.oid = c.relnamespace WHERE n.nspname " + user + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I') ORDER BY 1",
				"SELECT a.attrelid::regclass || ' ' || a.attname || ' ' || a.attidentity::text || ' ' || a.attgenerated::text || ' ' || "
						+ "a.attcollation::regcollation || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a "
						+ "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d "
						+ "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE n.nspname " + user
						+ " AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') ORDER BY 1",
				"SELECT s.seqrelid::regclass || ' ' || s.seqstart || ' ' || s.seqincrement || ' ' || s.seqmin || ' ' || s.seqmax "
						+ "|| ' ' || s.seqcache || ' ' || s.seqcycle FROM pg_sequence s ORDER BY 1",
				"SELECT o.type || ' ' || o.identity || ' ' || d.description FROM pg_description d "
						+ "CROSS JOIN LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o WHERE o.schema " + user
						+ " OR (o.type = 'schema' AND o.identity " + user + ") ORDER BY 1");
		return database.inOneSession((jdbc) -> {
			List<String> definitions = new ArrayList<>();
			for (String sql : queries) {
				definitions.addAll(jdbc.queryForList(sql, String.class));
			}
			return definitions;
		});
	}

}
