package io.apiforge.migrations.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Everything a restore must bring back, in comparable form: the catalog (columns,
 * constraints, indexes, sequences) and, per table, its row count and a checksum of its
 * rows. Two databases with equal snapshots hold the same schema and data.
 *
 * @param columns every column: schema, table, name, type, nullability, default
 * @param constraints every constraint with its definition
 * @param indexes every index with its definition
 * @param sequences every sequence with its last value
 * @param tables every table with its row count and the MD5 of its sorted rows
 */
public record DatabaseSnapshot(List<String> columns, List<String> constraints, List<String> indexes,
		List<String> sequences, List<String> tables) {

	private static final String USER_SCHEMAS = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

	public static DatabaseSnapshot of(TestDatabase database) {
		return database.inOneSession(DatabaseSnapshot::of);
	}

	private static DatabaseSnapshot of(JdbcTemplate jdbc) {
		List<String> columns = jdbc.queryForList("SELECT concat_ws(' ', table_schema, table_name, column_name, data_type, "
				+ "is_nullable, column_default) FROM information_schema.columns WHERE table_schema " + USER_SCHEMAS
				+ " ORDER BY table_schema, table_name, ordinal_position", String.class);
		List<String> constraints = jdbc.queryForList("SELECT concat_ws(' ', n.nspname, c.conrelid::regclass::text, "
				+ "c.conname, pg_get_constraintdef(c.oid)) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
				+ "WHERE n.nspname " + USER_SCHEMAS + " ORDER BY 1", String.class);
		List<String> indexes = jdbc.queryForList("SELECT concat_ws(' ', schemaname, indexdef) FROM pg_indexes "
				+ "WHERE schemaname " + USER_SCHEMAS + " ORDER BY 1", String.class);
		List<String> sequences = jdbc.queryForList("SELECT concat_ws(' ', schemaname, sequencename, last_value) "
				+ "FROM pg_sequences WHERE schemaname " + USER_SCHEMAS + " ORDER BY 1", String.class);
		List<String> tables = new ArrayList<>();
		for (Map<String, Object> table : jdbc.queryForList("SELECT table_schema, table_name FROM information_schema.tables "
				+ "WHERE table_type = 'BASE TABLE' AND table_schema " + USER_SCHEMAS + " ORDER BY 1, 2")) {
			String name = "\"" + table.get("table_schema") + "\".\"" + table.get("table_name") + "\"";
			tables.add(name + " " + jdbc.queryForObject("SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' "
					+ "ORDER BY t::text), '')) FROM " + name + " t", String.class));
		}
		return new DatabaseSnapshot(columns, constraints, indexes, sequences, tables);
	}

}
