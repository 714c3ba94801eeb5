package io.apiforge.sample.benchmark;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fills a database with one table of rows of hexadecimal text (which {@code pg_dump}'s
 * compression halves, as it would real text, rather than all but removing) until it holds
 * about the size asked for, indexes included.
 *
 * @author apiforge
 */
final class LargeData {

	private static final int ROWS_PER_INSERT = 250_000;

	private LargeData() {
	}

	/**
	 * Fill the database.
	 * @param jdbc the database
	 * @param megabytes about how large it should be
	 * @return how large it is, in bytes
	 */
	static long fill(JdbcTemplate jdbc, int megabytes) {
		long target = megabytes * 1024L * 1024L;
		jdbc.execute("CREATE TABLE bench_data (id BIGINT PRIMARY KEY, payload TEXT NOT NULL, created TIMESTAMPTZ NOT NULL)");
		long next = 1;
		long size = databaseSize(jdbc);
		while (size < target) {
			// About 200 bytes a row with its index entry: insert no more than what is missing
			long rows = Math.max(1000, Math.min(ROWS_PER_INSERT, (target - size) / 200));
			jdbc.update("INSERT INTO bench_data SELECT g, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) "
					+ "|| md5((g + 3)::text), now() - g * interval '1 second' FROM generate_series(?::bigint, ?::bigint) g",
					next, next + rows - 1);
			next += rows;
			size = databaseSize(jdbc);
		}
		jdbc.execute("VACUUM ANALYZE bench_data");
		return databaseSize(jdbc);
	}

	private static long databaseSize(JdbcTemplate jdbc) {
		Long size = jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
		return (size != null) ? size : 0;
	}

}
