package io.apiforge.sample.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.PostgresServers;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.sample.benchmark.ChildStart.Sample;

/**
 * The start-up benchmark (issue 17): what the starter costs an application's start, next
 * to plain Spring Boot + Flyway, whole process, side by side in one run. Each start is a
 * child JVM of its own ({@link ChildStart}, the same JVM options for both) running the
 * same launcher on the sample app's runtime classpath, with the starter (as the sample app
 * is) or without its two artifacts ({@link ChildClasspaths}). Four cases, each in pairs of
 * starts that alternate which variant goes first:
 * <ol>
 * <li>nothing pending, 200 applied migrations;</li>
 * <li>nothing pending, 10,000 applied (recorded fast, {@link SchemaHistories#record});</li>
 * <li>200 pending on an empty database, a fresh one per start;</li>
 * <li>10 pending on a database of about 1 GB, copied from a template per start: the
 * starter backs it up with {@code pg_dump} (its default), the baseline runs
 * {@code pg_dump -Fc} by hand before it starts, and its time counts.</li>
 * </ol>
 * It prints the medians, the per-pair ratios and the targets. It exits non-zero
 * only when it cannot run, never for a missed target.
 *
 * @author apiforge
 */
public final class StartupBenchmark {

	private final StartupSettings settings;

	private final StartupReport report;

	private boolean warmedUp;

	private StartupBenchmark(StartupSettings settings) {
		this.settings = settings;
		this.report = new StartupReport(System.out);
	}

	public static void main(String[] args) {
		int exitCode = 0;
		try {
			new StartupBenchmark(StartupSettings.fromSystemProperties()).run();
		}
		catch (Exception ex) {
			System.err.println("The start-up benchmark could not run: " + ex);
			ex.printStackTrace();
			exitCode = 1;
		}
		System.exit(exitCode);
	}

	private void run() throws Exception {
		Path work = this.settings.work();
		deleteRecursively(work);
		Files.createDirectories(work.resolve("logs"));
		ChildClasspaths classpaths = ChildClasspaths.build(this.settings.runtimeClasspath(),
				this.settings.appClasses(), work);
		this.report.progress("The plain variant leaves out " + classpaths.removed());
		this.report.progress("Child logs in " + work.resolve("logs"));
		this.report.progress("Starting the embedded PostgreSQL server");
		try (PostgresServer server = PostgresServers.embedded(EmbeddedBinaries.pinnedJar())) {
			run(server, classpaths);
		}
	}

	private void run(PostgresServer server, ChildClasspaths classpaths) throws Exception {
		try (TestDatabase probe = TestDatabase.create(server)) {
			this.report.machine(this.settings, probe.jdbc().queryForObject("SHOW server_version", String.class),
					pgDumpVersion());
		}
		List<StartupCaseResult> results = new ArrayList<>();
		Path migrations = this.settings.work().resolve("migrations");
		if (this.settings.cases().contains(1)) {
			Path scripts = generate(migrations.resolve("applied"), this.settings.applied());
			StartupCase startupCase = new StartupCase(
					"1  nothing pending, " + this.settings.applied() + " applied", scripts, this.settings.applied(),
					StartupReport.NOTHING_PENDING_WALL, StartupReport.NOTHING_PENDING_PEAK, false);
			try (TestDatabase database = TestDatabase.create(server)) {
				SchemaHistories.apply(database, scripts, GeneratedMigrations.lastVersion(this.settings.applied()));
				results.add(measure(startupCase, classpaths, () -> Target.of(database), true));
			}
		}
		if (this.settings.cases().contains(2)) {
			Path scripts = generate(migrations.resolve("large-history"), this.settings.largeHistory());
			StartupCase startupCase = new StartupCase(
					"2  nothing pending, " + this.settings.largeHistory() + " applied", scripts,
					this.settings.largeHistory(), StartupReport.NOTHING_PENDING_WALL,
					StartupReport.NOTHING_PENDING_PEAK, false);
			try (TestDatabase database = TestDatabase.create(server)) {
				this.report.progress("Recording " + this.settings.largeHistory() + " applied migrations");
				int recorded = SchemaHistories.record(database, scripts,
						Integer.toString(GeneratedMigrations.FIRST_VERSION));
				this.report.progress(recorded + " migrations in the history; Flyway validates it");
				results.add(measure(startupCase, classpaths, () -> Target.of(database), true));
			}
		}
		if (this.settings.cases().contains(3)) {
			Path scripts = generate(migrations.resolve("pending"), this.settings.pending());
			StartupCase startupCase = new StartupCase(
					"3  " + this.settings.pending() + " pending, empty database", scripts, this.settings.pending(),
					StartupReport.EMPTY_DATABASE_WALL, 0, false);
			results.add(measure(startupCase, classpaths, () -> Target.fresh(TestDatabase.create(server)), false));
		}
		if (this.settings.cases().contains(4)) {
			results.add(measureBackupCase(server, classpaths, migrations.resolve("backup")));
		}
		this.report.result(results, this.settings);
	}

	private StartupCaseResult measureBackupCase(PostgresServer server, ChildClasspaths classpaths, Path directory)
			throws Exception {
		int applied = 10;
		int pending = 10;
		Path scripts = generate(directory, applied + pending);
		try (TestDatabase template = TestDatabase.create(server)) {
			SchemaHistories.apply(template, scripts, GeneratedMigrations.lastVersion(applied));
			this.report.progress("Filling the backup case's database with about " + this.settings.databaseMegabytes()
					+ " MB");
			long size = LargeData.fill(template.jdbc(), this.settings.databaseMegabytes());
			StartupCase startupCase = new StartupCase(String.format(Locale.ROOT,
					"4  %d pending, %d MiB database, with backup", pending, size / (1024 * 1024)), scripts,
					applied + pending, StartupReport.BACKUP_WALL, 0, true);
			return measure(startupCase, classpaths, () -> Target.copy(server, template.name()), false);
		}
	}

	/**
	 * Measure a case. A pair of starts that is not measured goes first when the case keeps
	 * one database for all its starts (the starter's first start on a database stores its
	 * drift fingerprint, which the next ones only compare) and in the run's first case (the
	 * first JVMs read the jars from disk, the next ones from the page cache).
	 */
	private StartupCaseResult measure(StartupCase startupCase, ChildClasspaths classpaths, TargetFactory targets,
			boolean sharedDatabase) throws Exception {
		StartupCaseResult result = new StartupCaseResult(startupCase);
		this.report.progress("Case " + startupCase.label() + ": " + this.settings.pairs() + " pairs");
		if (sharedDatabase || !this.warmedUp) {
			this.report.progress("  a warm-up pair, not measured");
			start(startupCase, 0, false, classpaths, targets);
			start(startupCase, 0, true, classpaths, targets);
			this.warmedUp = true;
		}
		for (int pair = 1; pair <= this.settings.pairs(); pair++) {
			boolean starterFirst = pair % 2 == 1;
			Sample first = start(startupCase, pair, starterFirst, classpaths, targets);
			Sample second = start(startupCase, pair, !starterFirst, classpaths, targets);
			Sample starter = starterFirst ? first : second;
			Sample plain = starterFirst ? second : first;
			result.add(starter, plain);
			this.report.pair(pair, starterFirst, starter, plain);
		}
		return result;
	}

	private Sample start(StartupCase startupCase, int pair, boolean starter, ChildClasspaths classpaths,
			TargetFactory targets) throws Exception {
		String variant = starter ? "starter" : "plain";
		String name = "case" + startupCase.label().charAt(0) + "-pair" + pair + "-" + variant;
		Path directory = Files.createDirectories(this.settings.work().resolve("run").resolve(name));
		Path logs = this.settings.work().resolve("logs");
		try (Target target = targets.create()) {
			double dumpMillis = 0;
			if (startupCase.backup() && !starter) {
				dumpMillis = HandRunPgDump.dump(this.settings.pgDump(), target.server(), target.name(),
						directory.resolve(target.name() + ".dump"), logs.resolve(name + "-pg_dump.log"));
			}
			List<String> arguments = arguments(target, startupCase.migrations());
			boolean starterClasspath = starter || this.settings.starterBaseline();
			arguments.addAll(starter ? this.settings.starterArguments() : this.settings.baselineArguments());
			Sample sample = ChildStart.run(starterClasspath ? classpaths.starter() : classpaths.plain(),
					this.settings.jvmOptions(), arguments, target.server().adminPassword(), directory,
					logs.resolve(name + ".log"));
			requireApplied(target, startupCase, name);
			if (startupCase.backup() && starter) {
				requireBackup(directory.resolve("backups"), name);
			}
			return sample.plusWall(dumpMillis);
		}
		finally {
			deleteRecursively(directory);
		}
	}

	/**
	 * The same properties for both variants: the database, a random port, the case's
	 * migrations only (not the sample app's {@code classpath:db/migration}, whose Java
	 * migration is the starter's), health exposed, and a readiness group without the
	 * {@code migrations} contributor, which the plain variant does not have (Boot refuses to
	 * start with a group member that does not exist).
	 */
	private static List<String> arguments(Target target, Path migrations) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--spring.datasource.url=" + target.jdbcUrl());
		arguments.add("--spring.datasource.username=" + target.server().adminUser());
		arguments.add("--server.port=0");
		arguments.add("--spring.flyway.locations=filesystem:" + migrations.toAbsolutePath());
		arguments.add("--management.endpoints.web.exposure.include=health");
		arguments.add("--management.endpoint.health.group.readiness.include=readinessState");
		return arguments;
	}

	private static void requireApplied(Target target, StartupCase startupCase, String name) {
		JdbcTemplate jdbc = target.jdbc();
		Integer applied = jdbc.queryForObject(
				"SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL", Integer.class);
		if (applied == null || applied != startupCase.expectedApplied()) {
			throw new IllegalStateException("After start " + name + " the history holds " + applied
					+ " successful migrations, not " + startupCase.expectedApplied());
		}
	}

	private static void requireBackup(Path backups, String name) throws IOException {
		boolean found;
		try (Stream<Path> files = Files.exists(backups) ? Files.list(backups) : Stream.empty()) {
			found = files.anyMatch((file) -> file.getFileName().toString().endsWith(".dump"));
		}
		if (!found) {
			throw new IllegalStateException("Start " + name + " took no pg_dump backup in " + backups);
		}
	}

	private Path generate(Path directory, int count) throws IOException {
		Files.createDirectories(directory);
		this.report.progress("Writing " + count + " migrations to " + directory);
		GeneratedMigrations.write(directory, count);
		return directory;
	}

	private String pgDumpVersion() {
		try {
			Process process = new ProcessBuilder(this.settings.pgDump().toString(), "--version").redirectErrorStream(true)
				.start();
			String version = new String(process.getInputStream().readAllBytes()).trim();
			process.waitFor();
			return version;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot run " + this.settings.pgDump() + ": the backup case needs it", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	/**
	 * Makes the database of one start.
	 */
	@FunctionalInterface
	private interface TargetFactory {

		Target create();

	}

	/**
	 * The database one start runs against, and what to do with it afterwards.
	 */
	private record Target(PostgresServer server, String name, String jdbcUrl, AutoCloseable closer)
			implements AutoCloseable {

		/** The case's one database, kept for all its starts. */
		static Target of(TestDatabase database) {
			return new Target(database.server(), database.name(), database.jdbcUrl(), () -> {
			});
		}

		/** A database of its own for this start, dropped after it. */
		static Target fresh(TestDatabase database) {
			return new Target(database.server(), database.name(), database.jdbcUrl(), database);
		}

		/** A copy of the template for this start, dropped after it. */
		static Target copy(PostgresServer server, String template) {
			DatabaseCopy copy = DatabaseCopy.of(server, template);
			return new Target(server, copy.name(), copy.jdbcUrl(), copy);
		}

		JdbcTemplate jdbc() {
			String password = this.server.adminPassword();
			return new JdbcTemplate(new org.springframework.jdbc.datasource.SimpleDriverDataSource(
					new org.postgresql.Driver(), this.jdbcUrl, this.server.adminUser(),
					(password != null) ? password : ""));
		}

		@Override
		public void close() throws Exception {
			this.closer.close();
		}

	}

}
