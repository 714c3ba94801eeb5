package io.apiforge.migrations.operations;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.autoconfigure.MigrationsTenantsAutoConfiguration;
import io.apiforge.migrations.tenants.TenantFanOutResult;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

/**
 * What the tenants' fan-out costs next to the loop users write by hand,
 * {@code for (t : tenants) Flyway.configure().dataSource(ds).schemas(t).locations(...).load().migrate()}:
 * 200 schema tenants, 20 generated migrations each, every variant on a fresh database of
 * its own, in rounds that alternate the variants (A B C A B C ...) so that the machine's
 * noise falls on all alike. Prints wall time, peak connections (the database's view, and
 * the pool's active ones) and memory (bytes allocated, peak heap used), the medians, and
 * the ratios to the loop: of the medians, and the median of each round's ratio. Asserts nothing but that every tenant ended migrated.
 * <p>
 * Not part of the suite (its name does not end with {@code Tests}); run it by hand:
 *
 * <pre>
 * ./mvnw -pl autoconfigure test -Dtest=TenantsBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Its size: {@code -Dbenchmark.tenants=200}, {@code -Dbenchmark.migrations=20},
 * {@code -Dbenchmark.rounds=3}; {@code -Dbenchmark.backups=true} adds the fan-out with the
 * {@code jdbc} backup strategy (the tenants are fresh, so it measures the backup step's
 * checks: an empty schema is not backed up); {@code -Dbenchmark.profile=true} prints where
 * the migrating threads spend their time. The figures are in {@code docs/performance.md}.
 */
@WithPostgres
class TenantsBenchmark {

	private static final int TENANTS = Integer.getInteger("benchmark.tenants", 200);

	private static final int MIGRATIONS = Integer.getInteger("benchmark.migrations", 20);

	private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);

	private static final boolean BACKUPS = Boolean.getBoolean("benchmark.backups");

	/** Whether to sample the migrating threads' stacks and print where their time goes. */
	private static final boolean PROFILE = Boolean.getBoolean("benchmark.profile");

	/** The pool of every variant: Spring Boot's default size. */
	private static final int POOL_SIZE = 10;

	private static final long SAMPLE_MILLIS = 10;

	/**
	 * Where a migrating thread is, for the profile: the first of these methods found on
	 * its stack, outermost first.
	 */
	private static final String[][] STEPS = { { "TenantMigrations.flywayFor", "configure" },
			{ "FluentConfiguration.load", "configure" }, { "LockedRun.acquire", "lock" },
			{ "LockedRun.inspect", "inspect" }, { "FlywayRefusalCheck.check", "refusal check" },
			{ "OncePerScriptCheck.check", "lint" }, { "BackupStep.take", "backup" }, { "Flyway.migrate", "migrate" },
			{ "TenantStatuses.", "statuses" } };

	/** What Flyway is doing within a step: the first of these found on the stack. */
	private static final String[][] FLYWAY_WORK = { { "FlywayExecutor.createResourceAndClassProviders", "scan" },
			{ "JdbcConnectionFactory.<init>", "connect" }, { "DbMigrate.applyMigrations", "apply" },
			{ "DbSchemas.create", "create schema" }, { "JdbcTableSchemaHistory.create", "create history" },
			{ "CompositeMigrationResolver.resolveMigrations", "resolve" },
			{ "JdbcTableSchemaHistory.allAppliedMigrations", "read history" },
			{ "JdbcTableSchemaHistory.exists", "read history" }, { "FlywayExecutor.prepareCallbacks", "callbacks" },
			{ "PostgreSQLAdvisoryLockTemplate.execute", "flyway's lock" }, { "ClassicConfiguration.<init>", "configuration" },
			{ "ClassicConfiguration.configure", "configuration" }, { "Driver.connect", "connect" }, { "getConnection", "connect" } };

	@TempDir
	Path scripts;

	@TempDir
	Path backups;

	@Test
	void fanOutAgainstAFlywayLoop(PostgresServer server) throws Exception {
		generateScripts();
		List<String> tenants = IntStream.range(0, TENANTS).mapToObj((i) -> String.format("t_%03d", i)).toList();
		Map<String, Variant> variants = new LinkedHashMap<>();
		variants.put("loop", (database) -> loop(database, tenants));
		variants.put("fan-out 1", (database) -> fanOut(database, tenants, 1, false));
		variants.put("fan-out 4", (database) -> fanOut(database, tenants, 4, false));
		if (BACKUPS) {
			variants.put("fan-out 1 + backups", (database) -> fanOut(database, tenants, 1, true));
		}
		OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
		System.out.printf("TENANTS BENCHMARK: %d tenants x %d migrations, %d rounds; %s; %d cores, load %.2f; "
				+ "Java %s; Flyway %s%n", TENANTS, MIGRATIONS, ROUNDS, server.description(),
				os.getAvailableProcessors(), os.getSystemLoadAverage(), System.getProperty("java.vm.version"),
				io.apiforge.migrations.flyway.FlywayInternals.flywayVersion());
		Map<String, List<Measurement>> results = new LinkedHashMap<>();
		variants.keySet().forEach((name) -> results.put(name, new ArrayList<>()));
		List<String> names = new ArrayList<>(variants.keySet());
		for (int round = 0; round < ROUNDS; round++) {
			// Rotate who goes first, so that a warmer JVM does not always favour the same one.
			List<String> order = new ArrayList<>(names);
			Collections.rotate(order, -round);
			for (String name : order) {
				Measurement measurement = measure(server, variants.get(name));
				results.get(name).add(measurement);
				System.out.printf("  round %d %-20s %s%n", round + 1, name, measurement);
			}
		}
		report(results, os);
	}

	private void generateScripts() throws IOException {
		for (int i = 1; i <= MIGRATIONS; i++) {
			int table = (i - 1) / 5 + 1;
			String sql = switch ((i - 1) % 5) {
				case 0 -> "CREATE TABLE item_" + table + " (id bigint PRIMARY KEY, name text NOT NULL);\n";
				case 1 -> "ALTER TABLE item_" + table + " ADD COLUMN price numeric(10, 2), ADD COLUMN note text;\n";
				case 2 -> "CREATE INDEX item_" + table + "_name ON item_" + table + " (name);\n";
				case 3 -> "INSERT INTO item_" + table + " (id, name, price)\n"
						+ "SELECT g, 'item ' || g, g * 1.5 FROM generate_series(1, 10) AS g;\n";
				default -> "COMMENT ON TABLE item_" + table + " IS 'generated for the tenants benchmark';\n";
			};
			Files.writeString(this.scripts.resolve("V" + i + "__step_" + i + ".sql"), sql);
		}
	}

	private String location() {
		return "filesystem:" + this.scripts;
	}

	/**
	 * The hand-written loop, over a pool like the application's.
	 */
	private Run loop(TestDatabase database, List<String> tenants) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(database.jdbcUrl());
		config.setUsername(database.username());
		config.setPassword(database.password());
		config.setMaximumPoolSize(POOL_SIZE);
		HikariDataSource dataSource = new HikariDataSource(config);
		return new Run(() -> dataSource.getHikariPoolMXBean().getActiveConnections(), () -> {
			for (String tenant : tenants) {
				Flyway.configure().dataSource(dataSource).schemas(tenant).locations(location()).load().migrate();
			}
		}, dataSource::close);
	}

	/**
	 * The starter's fan-out, wired by its auto-configuration; the application starts in
	 * {@code validate} mode so that the fan-out runs when measured, not at start-up.
	 */
	private Run fanOut(TestDatabase database, List<String> tenants, int parallelism, boolean backups) {
		ApplicationContextRunner runner = MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class))
			.withPropertyValues("migrations.mode=validate", "migrations.tenants.schemas=" + String.join(",", tenants),
					"migrations.tenants.locations=" + location(), "migrations.tenants.parallelism=" + parallelism,
					"spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE);
		if (backups) {
			runner = runner.withPropertyValues("migrations.backup.strategy=jdbc",
					"migrations.backup.directory=" + this.backups.resolve(database.name()));
		}
		return new Run(runner);
	}

	private Measurement measure(PostgresServer server, Variant variant) throws Exception {
		try (TestDatabase database = TestDatabase.create(server)) {
			Run run = variant.prepare(database);
			try {
				return run.measure(server, database);
			}
			finally {
				run.close();
			}
		}
	}

	private void report(Map<String, List<Measurement>> results, OperatingSystemMXBean os) {
		Measurement loop = median(results.get("loop"));
		System.out.println();
		System.out.println("============================== TENANTS BENCHMARK ===============================");
		System.out.printf("  %d tenants x %d migrations, medians of %d alternating rounds, load after %.2f%n", TENANTS,
				MIGRATIONS, ROUNDS, os.getSystemLoadAverage());
		System.out.printf("  %-22s %7s %7s %9s %11s %11s %13s %13s%n", "variant", "wall s", "x loop", "per round",
				"peak conns", "pool active", "allocated MB", "peak heap MB");
		results.forEach((name, measurements) -> {
			Measurement median = median(measurements);
			// The ratio to the loop of the same round, whose load was alike.
			double perRound = medianOf(IntStream.range(0, measurements.size())
				.mapToDouble((round) -> measurements.get(round).seconds() / results.get("loop").get(round).seconds())
				.toArray());
			System.out.printf(Locale.ROOT, "  %-22s %7.1f %7.2f %9.2f %11d %11d %13d %13d%n", name, median.seconds(),
					median.seconds() / loop.seconds(), perRound, median.peakConnections(), median.peakPoolActive(),
					median.allocatedBytes() >> 20, median.peakHeapBytes() >> 20);
		});
		System.out.println("================================================================================");
	}

	/**
	 * The median of each figure, apart.
	 */
	private static Measurement median(List<Measurement> measurements) {
		return new Measurement(medianOf(measurements.stream().mapToDouble(Measurement::seconds).toArray()),
				(int) medianOf(measurements.stream().mapToDouble(Measurement::peakConnections).toArray()),
				(int) medianOf(measurements.stream().mapToDouble(Measurement::peakPoolActive).toArray()),
				(long) medianOf(measurements.stream().mapToDouble(Measurement::allocatedBytes).toArray()),
				(long) medianOf(measurements.stream().mapToDouble(Measurement::peakHeapBytes).toArray()));
	}

	private static double medianOf(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	@FunctionalInterface
	private interface Variant {

		Run prepare(TestDatabase database);

	}

	/**
	 * One measured fan-out: started after its set-up, sampled while it runs.
	 */
	private static final class Run implements AutoCloseable {

		private final ApplicationContextRunner runner;

		private final IntSupplier poolActive;

		private final ThrowingRunnable work;

		private final Runnable close;

		Run(IntSupplier poolActive, ThrowingRunnable work, Runnable close) {
			this.runner = null;
			this.poolActive = poolActive;
			this.work = work;
			this.close = close;
		}

		Run(ApplicationContextRunner runner) {
			this.runner = runner;
			this.poolActive = null;
			this.work = null;
			this.close = () -> {
			};
		}

		Measurement measure(PostgresServer server, TestDatabase database) throws Exception {
			if (this.runner == null) {
				return sample(server, database, this.poolActive, this.work);
			}
			Measurement[] measurement = new Measurement[1];
			this.runner.run((context) -> {
				if (context.getStartupFailure() != null) {
					throw new IllegalStateException("The application did not start", context.getStartupFailure());
				}
				HikariDataSource dataSource = context.getBean(HikariDataSource.class);
				TenantMigrations migrations = context.getBean(TenantMigrations.class);
				measurement[0] = sample(server, database, () -> dataSource.getHikariPoolMXBean().getActiveConnections(),
						() -> {
							TenantFanOutResult result = migrations.migrateAll();
							if (result.inState(TenantState.MIGRATED).size() != TENANTS) {
								throw new IllegalStateException("Not every tenant was migrated: " + result.counts()
										+ ((result.failed().isEmpty()) ? "" : " " + result.failed().get(0).error()));
							}
						});
			});
			return measurement[0];
		}

		@Override
		public void close() {
			this.close.run();
		}

		private static Measurement sample(PostgresServer server, TestDatabase database, IntSupplier poolActive,
				ThrowingRunnable work) throws Exception {
			System.gc();
			Sampler sampler = new Sampler(server, database.name(), poolActive, Thread.currentThread());
			Thread thread = new Thread(sampler, "tenants-benchmark-sampler");
			thread.setDaemon(true);
			long start = System.nanoTime();
			thread.start();
			try {
				work.run();
			}
			finally {
				sampler.stop();
				thread.join();
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			if (PROFILE) {
				sampler.printProfile();
			}
			return new Measurement(seconds, sampler.peakConnections, sampler.peakPoolActive, sampler.allocated(),
					sampler.peakHeap);
		}

	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Exception;

	}

	/**
	 * Samples, on a connection of its own to another database, the connections to the
	 * measured database, the pool's active connections, the heap used, and every thread's
	 * allocated bytes (a thread's last sample counts, so threads that end are counted too).
	 */
	private static final class Sampler implements Runnable {

		private final PostgresServer server;

		private final String database;

		private final IntSupplier poolActive;

		private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();

		private final Map<Long, Long> allocatedAtStart = new HashMap<>();

		private final Map<Long, Long> allocatedLast = new HashMap<>();

		private final Thread worker;

		private final Map<String, Integer> frames = new HashMap<>();

		private int stacks;

		private volatile boolean running = true;

		/** The sampler's own thread, whose allocations are not the run's. */
		private volatile long self = -1;

		int peakConnections;

		int peakPoolActive;

		long peakHeap;

		Sampler(PostgresServer server, String database, IntSupplier poolActive, Thread worker) {
			this.server = server;
			this.worker = worker;
			this.database = database;
			this.poolActive = poolActive;
			sampleAllocations();
			this.allocatedAtStart.putAll(this.allocatedLast);
		}

		@Override
		public void run() {
			this.self = Thread.currentThread().getId();
			try (Connection connection = this.server.connectAsAdmin(this.server.maintenanceDatabase());
					PreparedStatement statement = connection
						.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
				statement.setString(1, this.database);
				while (this.running) {
					try (ResultSet result = statement.executeQuery()) {
						result.next();
						this.peakConnections = Math.max(this.peakConnections, result.getInt(1));
					}
					this.peakPoolActive = Math.max(this.peakPoolActive, this.poolActive.getAsInt());
					this.peakHeap = Math.max(this.peakHeap,
							ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
					sampleAllocations();
					if (PROFILE) {
						sampleStacks();
					}
					Thread.sleep(PROFILE ? 2 : SAMPLE_MILLIS);
				}
				sampleAllocations();
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Could not sample pg_stat_activity", ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/**
		 * Wall-clock sampling: every migrating thread's stack, runnable or waiting, each
		 * method counted once per stack (inclusive).
		 */
		private void sampleStacks() {
			for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
				Thread thread = entry.getKey();
				if (thread != this.worker && !thread.getName().startsWith(TenantMigrations.THREAD_NAME)) {
					continue;
				}
				List<String> names = Arrays.stream(entry.getValue())
					.map((frame) -> frame.getClassName() + "." + frame.getMethodName())
					.toList();
				if (names.stream().anyMatch((name) -> name.endsWith("FanOut.await") || name.endsWith("Thread.sleep")
						|| name.endsWith("ThreadPoolExecutor.getTask"))) {
					continue;
				}
				this.frames.merge(step(names), 1, Integer::sum);
				this.stacks++;
			}
		}

		private static String step(List<String> names) {
			String step = "other";
			find: for (int i = names.size() - 1; i >= 0; i--) {
				for (String[] candidate : STEPS) {
					if (names.get(i).endsWith(candidate[0]) || names.get(i).contains("." + candidate[0])) {
						step = candidate[1];
						break find;
					}
				}
			}
			for (String[] candidate : FLYWAY_WORK) {
				for (String name : names) {
					if (name.endsWith(candidate[0]) || name.contains("." + candidate[0])) {
						return step + " / " + candidate[1];
					}
				}
			}
			return step;
		}

		void printProfile() {
			System.out.printf("  profile: %d samples of migrating threads (wall clock)%n", this.stacks);
			this.frames.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
				.forEach((entry) -> System.out.printf(Locale.ROOT, "    %5.1f%%  %s%n",
						100.0 * entry.getValue() / this.stacks, entry.getKey()));
		}

		void stop() {
			this.running = false;
		}

		private void sampleAllocations() {
			long[] ids = this.threads.getAllThreadIds();
			long[] allocated = this.threads.getThreadAllocatedBytes(ids);
			for (int i = 0; i < ids.length; i++) {
				if (allocated[i] >= 0 && ids[i] != this.self) {
					this.allocatedLast.put(ids[i], allocated[i]);
				}
			}
		}

		long allocated() {
			long total = 0;
			for (Map.Entry<Long, Long> entry : this.allocatedLast.entrySet()) {
				total += entry.getValue() - this.allocatedAtStart.getOrDefault(entry.getKey(), 0L);
			}
			return total;
		}

	}

	private record Measurement(double seconds, int peakConnections, int peakPoolActive, long allocatedBytes,
			long peakHeapBytes) {

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%6.1f s, peak %2d connections (%2d active in the pool), %5d MB allocated, "
					+ "peak heap %4d MB", this.seconds, this.peakConnections, this.peakPoolActive,
					this.allocatedBytes >> 20, this.peakHeapBytes >> 20);
		}

	}

}
