package io.apiforge.migrations.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

/**
 * What a batched backfill costs and what it spares the application, side by side in one
 * run: a table of a million rows filled by one {@code UPDATE} and by {@link Backfill}
 * (batches of 1,000, no pause), each while another connection keeps updating random rows
 * one at a time. Prints the backfill's wall time and the writer's longest and 99th
 * percentile wait, and their ratios; asserts nothing but that every row was filled once.
 * <p>
 * Not part of the suite (its name does not end with {@code Tests}); run it by hand:
 *
 * <pre>
 * ./mvnw -pl autoconfigure test -Dtest=BackfillBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dbenchmark.rows=} (1,000,000) and {@code -Dbenchmark.rounds=} (2) size it.
 * The figures are in {@code docs/zero-downtime.md}.
 */
@WithPostgres
class BackfillBenchmark {

	private static final int ROWS = Integer.getInteger("benchmark.rows", 1_000_000);

	private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 2);

	private static final String SET = "full_name = first_name || ' ' || last_name, touched = touched + 1";

	@Test
	void oneUpdateAgainstBatches(TestDatabase database) throws Exception {
		List<Result> single = new ArrayList<>();
		List<Result> batched = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			// Alternate who goes first, so that the machine's drifting load falls on both.
			if (round % 2 == 0) {
				single.add(run(database, "single" + round, false));
				batched.add(run(database, "batched" + round, true));
			}
			else {
				batched.add(run(database, "batched" + round, true));
				single.add(run(database, "single" + round, false));
			}
		}
		Result a = median(single);
		Result b = median(batched);
		System.out.printf("%n=== Backfill of %,d rows, %d rounds, the median run by wall time ===%n", ROWS, ROUNDS);
		System.out.printf("one UPDATE: %,d ms; writer waited at most %,d ms (p99 %,d ms), %,d writes%n", a.millis,
				a.maxWait, a.p99Wait, a.writes);
		System.out.printf("Backfill:   %,d ms; writer waited at most %,d ms (p99 %,d ms), %,d writes%n", b.millis,
				b.maxWait, b.p99Wait, b.writes);
		System.out.printf("ratios (Backfill / one UPDATE): wall %.2fx, writer's longest wait %.3fx%n",
				(double) b.millis / a.millis, (double) b.maxWait / Math.max(1, a.maxWait));
	}

	private static Result run(TestDatabase database, String table, boolean batched) throws Exception {
		try (Connection setUp = database.dataSource().getConnection(); Statement statement = setUp.createStatement()) {
			statement.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, first_name text NOT NULL, "
					+ "last_name text NOT NULL, full_name text, touched int NOT NULL DEFAULT 0)");
			statement.execute("INSERT INTO " + table + " (id, first_name, last_name) SELECT i, 'first' || i, "
					+ "'last' || i FROM generate_series(1, " + ROWS + ") AS i");
			statement.execute("ANALYZE " + table);
			statement.execute("CREATE TABLE IF NOT EXISTS flyway_schema_history (installed_rank int PRIMARY KEY)");
		}
		AtomicBoolean done = new AtomicBoolean();
		List<Long> waits = Collections.synchronizedList(new ArrayList<>());
		Thread writer = new Thread(() -> write(database, table, done, waits), "writer");
		writer.start();
		long start = System.nanoTime();
		try (Connection connection = database.dataSource().getConnection()) {
			if (batched) {
				Configuration configuration = Flyway.configure().dataSource(database.dataSource());
				Backfill.table(table).key("id").set(SET).where("full_name IS NULL").pause(Duration.ZERO)
					.run(context(configuration, connection));
			}
			else {
				try (Statement statement = connection.createStatement()) {
					statement.executeUpdate("UPDATE " + table + " SET " + SET + " WHERE full_name IS NULL");
				}
			}
		}
		long millis = (System.nanoTime() - start) / 1_000_000;
		done.set(true);
		writer.join();
		try (Connection check = database.dataSource().getConnection();
				Statement statement = check.createStatement();
				var result = statement.executeQuery("SELECT count(*) FROM " + table + " WHERE touched <> 1")) {
			result.next();
			if (result.getLong(1) != 0) {
				throw new IllegalStateException(result.getLong(1) + " rows not filled exactly once in " + table);
			}
		}
		List<Long> sorted = new ArrayList<>(waits);
		Collections.sort(sorted);
		long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
		long p99 = sorted.isEmpty() ? 0 : sorted.get((int) Math.floor(sorted.size() * 0.99));
		Result result = new Result(millis, max, p99, sorted.size());
		System.out.printf("%s: %,d ms, writer max %,d ms, p99 %,d ms, %,d writes%n", table, millis, max, p99,
				sorted.size());
		return result;
	}

	/** The application: one row at a time, each its own transaction, timing each write. */
	private static void write(TestDatabase database, String table, AtomicBoolean done, List<Long> waits) {
		try (Connection connection = database.dataSource().getConnection();
				PreparedStatement update = connection
					.prepareStatement("UPDATE " + table + " SET first_name = first_name WHERE id = ?")) {
			while (!done.get()) {
				update.setLong(1, ThreadLocalRandom.current().nextLong(1, ROWS + 1));
				long start = System.nanoTime();
				update.executeUpdate();
				waits.add((System.nanoTime() - start) / 1_000_000);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Result median(List<Result> results) {
		List<Result> sorted = new ArrayList<>(results);
		sorted.sort((one, other) -> Long.compare(one.millis, other.millis));
		return sorted.get(sorted.size() / 2);
	}

	private static Context context(Configuration configuration, Connection connection) {
		return new Context() {

			@Override
			public Configuration getConfiguration() {
				return configuration;
			}

			@Override
			public Connection getConnection() {
				return connection;
			}

		};
	}

	private record Result(long millis, long maxWait, long p99Wait, long writes) {

	}

}
