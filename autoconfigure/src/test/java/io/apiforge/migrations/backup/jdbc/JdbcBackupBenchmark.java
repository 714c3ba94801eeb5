package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.FileSystemUtils;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

/**
 * The {@code jdbc} backup against {@code pg_dump} on a database of about 1 GB, side by
 * side in one run: dump ({@code jdbc} against {@code pg_dump -Fc}), restore
 * ({@link JdbcBackupRestorer} against {@code pg_restore}), and {@code pg_dump -Fd -j 2}
 * against {@code -Fc}. Each round runs every contender once, in an order that rotates
 * from round to round, so that noise on a shared machine falls on all alike; it prints
 * the medians and their ratios. It asserts nothing: a missed target is a result. It
 * fails only when it cannot run (no {@code pg_dump}, a command that fails).
 * <p>
 * Not part of the suite (its name does not end with {@code Tests}); run it by hand:
 *
 * <pre>
 * ./mvnw -pl autoconfigure test -Dtest=JdbcBackupBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.size-mb=1024 -Dbenchmark.rounds=3
 * </pre>
 *
 * ({@code -Dbenchmark.restores=false} times the dumps only.)
 *
 * The figures are in {@code docs/performance.md}.
 */
@WithPostgres
class JdbcBackupBenchmark {

	private static final int SIZE_MB = Integer.getInteger("benchmark.size-mb", 1024);

	private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);

	private static final boolean RESTORES = Boolean.parseBoolean(System.getProperty("benchmark.restores", "true"));

	/** Rows of the generated tables per MiB of database (indexes included), measured. */
	private static final int ROWS_PER_MB = 6_800;

	/** Tables the rows are spread over: {@code pg_dump -j} dumps tables in parallel, not parts of one. */
	private static final int TABLES = 4;

	@TempDir
	Path temp;

	@Test
	void jdbcAgainstPgDumpOnAGigabyteDatabase(TestDatabase database, PostgresServer server) throws Exception {
		printMachine(database);
		generate(database);
		Map<String, List<Double>> times = new LinkedHashMap<>();
		Path jdbcFile = null;
		Path customFile = null;
		for (int round = 1; round <= ROUNDS; round++) {
			List<String> dumps = rotate(List.of("jdbc dump", "pg_dump -Fc", "pg_dump -Fd -j 2"), round);
			for (String dump : dumps) {
				Path directory = this.temp.resolve("round" + round + "-" + dump.replaceAll("\\W", ""));
				long start = System.nanoTime();
				Path file = switch (dump) {
					case "jdbc dump" -> jdbcDump(database, directory);
					case "pg_dump -Fc" -> pgDump(database, directory, "--format=custom");
					default -> pgDump(database, directory, "--format=directory", "--jobs=2");
				};
				record(times, dump, start, size(file));
				if (dump.equals("jdbc dump")) {
					replace(jdbcFile);
					jdbcFile = file;
				}
				else if (dump.equals("pg_dump -Fc")) {
					replace(customFile);
					customFile = file;
				}
				else {
					FileSystemUtils.deleteRecursively(file);
				}
			}
			List<String> restores = RESTORES ? List.of("jdbc restore", "pg_restore") : List.of();
			for (String restore : rotate(restores, round)) {
				try (TestDatabase target = TestDatabase.create(server)) {
					long start = System.nanoTime();
					if (restore.equals("jdbc restore")) {
						new JdbcBackupRestorer().restore(jdbcFile, target.dataSource());
					}
					else {
						run(target, "pg_restore", "--exit-on-error", "--no-owner", "--dbname=" + target.name(),
								customFile.toString());
					}
					record(times, restore, start, -1);
				}
			}
		}
		print("");
		print("Medians of " + ROUNDS + " rounds:");
		times.forEach((name, seconds) -> print(String.format("  %-18s %7.1f s   (rounds: %s)", name, median(seconds),
				seconds.stream().map((s) -> String.format("%.1f", s)).toList())));
		print(ratio(times, "jdbc dump", "pg_dump -Fc", "target <= 1.5"));
		if (RESTORES) {
			print(ratio(times, "jdbc restore", "pg_restore", "target <= 1.5"));
		}
		print(ratio(times, "pg_dump -Fd -j 2", "pg_dump -Fc", "parallel dump"));
	}

	/**
	 * Four tables of generated rows, each with a primary key and an index (the rows of
	 * RestoreVerificationBenchmark's table, so that the figures compare), and a small one.
	 */
	private static void generate(TestDatabase database) {
		long started = System.nanoTime();
		long rows = (long) SIZE_MB * ROWS_PER_MB / TABLES;
		for (int table = 1; table <= TABLES; table++) {
			database.jdbc()
				.execute("CREATE TABLE events_" + table + " (id bigint PRIMARY KEY, account int NOT NULL, kind text NOT NULL, "
						+ "payload text NOT NULL, created timestamptz NOT NULL)");
			database.jdbc()
				.execute("INSERT INTO events_" + table + " SELECT g, g % 10000, 'kind-' || (g % 17), md5(g::text) || "
						+ "md5((g * 7)::text), timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series(1, "
						+ rows + ") g");
			database.jdbc().execute("CREATE INDEX events_" + table + "_account ON events_" + table + " (account)");
		}
		database.jdbc()
			.execute("CREATE TABLE accounts AS SELECT g AS id, 'account ' || g AS name FROM generate_series(1, 10000) g");
		database.jdbc().execute("VACUUM ANALYZE");
		long size = database.jdbc().queryForObject("SELECT pg_database_size(current_database())", Long.class);
		print("Generated " + TABLES + " tables of " + rows + " rows: database of " + (size >> 20) + " MiB in "
				+ String.format("%.0f s", (System.nanoTime() - started) / 1e9));
	}

	private Path jdbcDump(TestDatabase database, Path directory) {
		BackupRecord backup = new JdbcBackupStrategy(
				new JdbcBackupSettings(directory, BackupScope.DATABASE, false, Duration.ofHours(1), 1), Clock.systemUTC())
			.backup(new BackupRequest(database.dataSource(), List.of(), "1", "2", 1));
		return Path.of(backup.location());
	}

	private static Path pgDump(TestDatabase database, Path directory, String... options) throws Exception {
		Files.createDirectories(directory);
		Path file = directory.resolve("dump");
		List<String> command = new ArrayList<>(List.of("pg_dump"));
		command.addAll(Arrays.asList(options));
		command.addAll(List.of("--file=" + file, "--dbname=" + database.name()));
		run(database, command.toArray(String[]::new));
		return file;
	}

	private static void run(TestDatabase database, String... command) throws Exception {
		List<String> arguments = new ArrayList<>(List.of(command));
		arguments.addAll(1, List.of("--host=" + database.server().host(), "--port=" + database.server().port(),
				"--username=" + database.username(), "--no-password"));
		ProcessBuilder builder = new ProcessBuilder(arguments).redirectErrorStream(true);
		if (database.password() != null) {
			builder.environment().put("PGPASSWORD", database.password());
		}
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", arguments) + " failed: " + output);
		}
	}

	private static void record(Map<String, List<Double>> times, String name, long start, long bytes) {
		double seconds = (System.nanoTime() - start) / 1e9;
		times.computeIfAbsent(name, (key) -> new ArrayList<>()).add(seconds);
		print(String.format("%-18s %7.1f s%s", name, seconds, (bytes >= 0) ? ", " + (bytes >> 20) + " MiB" : ""));
	}

	private static String ratio(Map<String, List<Double>> times, String a, String b, String note) {
		return String.format("  %s / %s = %.2f (%s)", a, b, median(times.get(a)) / median(times.get(b)), note);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	private static List<String> rotate(List<String> names, int round) {
		List<String> rotated = new ArrayList<>(names);
		java.util.Collections.rotate(rotated, -(round - 1));
		return rotated;
	}

	private static long size(Path file) throws IOException {
		if (!Files.isDirectory(file)) {
			return Files.size(file);
		}
		try (Stream<Path> files = Files.walk(file)) {
			return files.filter(Files::isRegularFile).mapToLong((each) -> each.toFile().length()).sum();
		}
	}

	private static void replace(Path previous) throws IOException {
		if (previous != null) {
			FileSystemUtils.deleteRecursively(previous.getParent());
		}
	}

	private static void printMachine(TestDatabase database) {
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		print("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
				+ (os.getTotalMemorySize() >> 30) + " GiB memory, load average " + String.format("%.1f", os.getSystemLoadAverage())
				+ "; Java " + System.getProperty("java.vm.version") + "; PostgreSQL "
				+ database.jdbc().queryForObject("SHOW server_version", String.class) + "; "
				+ firstLine("pg_dump", "--version"));
	}

	private static String firstLine(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			return new String(process.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + command[0] + ": the benchmark needs PostgreSQL's clients", ex);
		}
	}

	private static void print(String line) {
		System.out.println("BENCHMARK " + line);
	}

}
