package io.apiforge.sample.benchmark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.PostgresServers;
import io.apiforge.migrations.testsupport.TestDatabase;

/**
 * The actuator benchmark. On one embedded PostgreSQL (the test harness's), it applies the
 * sample app's migrations and the generated ones ({@code benchmark.migrations}, a
 * thousand by default) once, then starts, side by side on that database:
 * <ul>
 * <li><b>A</b>: the sample app as it is, with the {@code migrations} health contributor
 * and the default {@code migrations.status.refresh-interval} (10 s);</li>
 * <li><b>B</b>: the same without the contributor
 * ({@code management.health.migrations.enabled=false});</li>
 * <li><b>C</b>: the contributor with {@code refresh-interval=0}, so that every read of
 * the status is stale and costs its one history query: the worst case of A.</li>
 * </ul>
 * It measures requests per second of {@code /actuator/health} on all three in
 * interleaved rounds, then the latency of {@code /actuator/migrations} against Spring
 * Boot's {@code /actuator/flyway} on A (and of the stale {@code /actuator/migrations} on
 * C, and of the first page of {@code /actuator/migrations/history}), and prints the
 * figures, the ratios, the summary's size and whether the targets are met. It exits
 * non-zero only when it cannot run, never for a missed target.
 *
 * @author apiforge
 */
public final class ActuatorBenchmark {

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private final BenchmarkSettings settings;

	private final BenchmarkReport report;

	private ActuatorBenchmark(BenchmarkSettings settings, PrintStream out) {
		this.settings = settings;
		this.report = new BenchmarkReport(out);
	}

	public static void main(String[] args) {
		int exitCode = 0;
		try {
			new ActuatorBenchmark(BenchmarkSettings.fromSystemProperties(), System.out).run();
		}
		catch (Exception ex) {
			System.err.println("The benchmark could not run: " + ex);
			ex.printStackTrace();
			exitCode = 1;
		}
		// The applications' non-daemon threads are gone by now, but a failed start may leave some
		System.exit(exitCode);
	}

	private void run() throws IOException {
		Path migrations = Files.createTempDirectory("actuator-benchmark-");
		try {
			this.report.progress("Writing " + this.settings.migrations() + " migrations to " + migrations);
			GeneratedMigrations.write(migrations, this.settings.migrations());
			this.report.progress("Starting the embedded PostgreSQL server");
			try (PostgresServer server = PostgresServers.embedded(EmbeddedBinaries.pinnedJar());
					TestDatabase database = TestDatabase.create(server)) {
				run(database, migrations);
			}
		}
		finally {
			delete(migrations);
		}
	}

	private void run(TestDatabase database, Path migrations) {
		JdbcTemplate jdbc = database.jdbc();
		this.report.progress(String.format(Locale.ROOT, "Machine: %d CPUs, Java %s (%s), PostgreSQL %s, %s %s",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.version"),
				System.getProperty("java.vm.name"), jdbc.queryForObject("SHOW server_version", String.class),
				System.getProperty("os.name"), System.getProperty("os.arch")));
		this.report.progress("Applying the migrations once (first start of the sample app)");
		Duration migrating;
		// The lint of thousands of pending scripts is start-up work, not what is measured here
		try (BenchmarkApplication first = BenchmarkApplication.start("migrate", database, migrations,
				"migrations.lint.enabled=false")) {
			migrating = first.startUp();
		}
		int applied = jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class);
		requireApplied(jdbc, GeneratedMigrations.lastVersion(this.settings.migrations()));
		this.report.progress(loadAverage("before measuring"));
		this.report.progress(applied + " migrations applied in " + BenchmarkReport.seconds(migrating)
				+ " (start-up included); starting applications A, B and C on the same database");
		try (BenchmarkApplication a = BenchmarkApplication.start("A", database, migrations);
				BenchmarkApplication b = BenchmarkApplication.start("B", database, migrations,
						"management.health.migrations.enabled=false",
						// The sample app puts the contributor in the readiness group
						"management.endpoint.health.group.readiness.include=readinessState");
				BenchmarkApplication c = BenchmarkApplication.start("C", database, migrations,
						"migrations.status.refresh-interval=0s")) {
			measure(a, b, c);
		}
	}

	private void measure(BenchmarkApplication a, BenchmarkApplication b, BenchmarkApplication c) {
		ActuatorClient client = new ActuatorClient();
		requireContributor(client, a, true);
		requireContributor(client, b, false);
		requireContributor(client, c, true);
		this.report.startUps(List.of(a, b, c));
		this.report.progress("Loading /actuator/health: " + WARM_UP.toSeconds() + " s warm-up per application, then "
				+ this.settings.rounds() + " interleaved rounds");
		Map<BenchmarkApplication, List<Throughput>> rounds;
		try (LoadLoop load = new LoadLoop(client, this.settings.threads())) {
			rounds = new HealthThroughput(load).measure(List.of(a, b, c), this.settings.rounds(), this.settings.round(),
					WARM_UP);
		}
		ThroughputRow without = new ThroughputRow("B  contributor disabled", rounds.get(b));
		ThroughputRow with = new ThroughputRow("A  migrations contributor, refresh-interval 10s", rounds.get(a));
		ThroughputRow stale = new ThroughputRow("C  migrations contributor, refresh-interval 0 (stale)",
				rounds.get(c));
		this.report.progress("Timing /actuator/migrations and /actuator/flyway");
		List<LatencySummary> latencies = new LatencyProbe(client).measure(
				List.of(a.uri("/actuator/migrations"), a.uri("/actuator/flyway"), c.uri("/actuator/migrations"),
						a.uri("/actuator/migrations/history"), a.uri("/actuator/health")),
				this.settings.latencyWarmUp(), this.settings.latencySamples());
		this.report.throughput(List.of(without, with, stale), this.settings);
		this.report.latency(List.of("A  /actuator/migrations (cached status)", "A  /actuator/flyway (flyway.info())",
				"C  /actuator/migrations (stale: one history query)",
				"A  /actuator/migrations/history (page 0, size 20)", "A  /actuator/health (for scale)"), latencies,
				this.settings);
		this.report.result(with, without, latencies.get(0), latencies.get(1));
		this.report.progress(loadAverage("at the end"));
	}

	/**
	 * Describe the machine's load: on a shared machine, other work is the main source of
	 * noise, which the interleaved rounds spread evenly but do not remove.
	 */
	private static String loadAverage(String when) {
		double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		return (load >= 0) ? String.format(Locale.ROOT, "System load average (1 min) %s: %.2f", when, load)
				: "System load average not available";
	}

	private static void requireApplied(JdbcTemplate jdbc, String lastVersion) {
		Integer found = jdbc.queryForObject(
				"SELECT count(*) FROM flyway_schema_history WHERE success AND version = ?", Integer.class, lastVersion);
		if (found == null || found != 1) {
			throw new IllegalStateException("The first start did not apply the generated migrations up to V" + lastVersion);
		}
	}

	private static void requireContributor(ActuatorClient client, BenchmarkApplication application, boolean expected) {
		String health = client.getText(application.uri("/actuator/health"));
		JsonNode json = JsonMapper.builder().build().readTree(health);
		if (json.path("components").has("migrations") != expected || !"UP".equals(json.path("status").asString())) {
			throw new IllegalStateException("Application " + application.name() + " should be UP "
					+ (expected ? "with" : "without") + " the migrations health contributor, but its health is " + health);
		}
	}

	private static void delete(Path directory) throws IOException {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> {
				try {
					Files.delete(path);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
	}

}
