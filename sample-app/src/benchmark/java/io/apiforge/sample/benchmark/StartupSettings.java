package io.apiforge.sample.benchmark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The size of a start-up benchmark run, from {@code startup.*} system properties (the
 * Maven profile passes its properties of the same names on). {@code startup.scale=small}
 * is the smoke size, a few minutes; any property set on its own wins over the scale.
 *
 * @param pairs how many alternating pairs of starts (starter, plain) each case gets
 * @param applied how many migrations are applied in the first case
 * @param largeHistory how many migrations are applied in the second case
 * @param pending how many migrations are pending on the empty database of the third case
 * @param databaseMegabytes how large the database of the fourth case is
 * @param cases which cases run, 1 to 4
 * @param jvmOptions the child JVMs' options, the same for both variants
 * @param runtimeClasspath the file listing the sample app's runtime classpath
 * @param appClasses the sample app's classes directory
 * @param work where the children's logs and working directories go
 * @param pgDump the {@code pg_dump} executable the baseline runs by hand
 * @param starterArguments more arguments for the starter variant only, such as
 * {@code --logging.level.io.apiforge=DEBUG} to see its steps (empty for a fair measurement)
 * @param baselineArguments when not empty, the baseline is the starter itself with these
 * arguments (such as {@code --migrations.backup.strategy=none}) instead of plain Spring
 * Boot + Flyway: what one feature costs a start, side by side; empty by default
 * @author apiforge
 */
record StartupSettings(int pairs, int applied, int largeHistory, int pending, int databaseMegabytes, Set<Integer> cases,
		List<String> jvmOptions, Path runtimeClasspath, Path appClasses, Path work, Path pgDump, List<String> starterArguments,
		List<String> baselineArguments) {

	StartupSettings {
		if (pairs < 1 || applied < 1 || largeHistory < 2 || pending < 1 || databaseMegabytes < 1) {
			throw new IllegalArgumentException("Start-up benchmark sizes must be positive: " + pairs + " pairs, "
					+ applied + " applied, " + largeHistory + " in the large history, " + pending + " pending, "
					+ databaseMegabytes + " MB");
		}
		if (!baselineArguments.isEmpty() && cases.contains(4)) {
			throw new IllegalArgumentException("startup.baseline-arguments compares the starter with itself, and case 4's "
					+ "baseline is a hand-run pg_dump plus plain Spring Boot + Flyway: run it with -Dstartup.cases=1,2,3");
		}
	}

	/**
	 * Return whether the baseline is the starter with {@link #baselineArguments()}
	 * rather than plain Spring Boot + Flyway.
	 * @return whether the starter is compared with itself
	 */
	boolean starterBaseline() {
		return !this.baselineArguments.isEmpty();
	}

	static StartupSettings fromSystemProperties() {
		boolean small = "small".equals(System.getProperty("startup.scale", "default").trim().toLowerCase(Locale.ROOT));
		return new StartupSettings(Integer.getInteger("startup.pairs", small ? 2 : 5),
				Integer.getInteger("startup.applied", 200), Integer.getInteger("startup.large-history", small ? 2000 : 10000),
				Integer.getInteger("startup.pending", 200), Integer.getInteger("startup.database-mb", small ? 50 : 1024),
				Arrays.stream(System.getProperty("startup.cases", "1,2,3,4").split(","))
					.map(String::trim)
					.filter((item) -> !item.isEmpty())
					.map(Integer::valueOf)
					.collect(Collectors.toCollection(java.util.TreeSet::new)),
				List.of(System.getProperty("startup.jvm-options", "-Xmx512m").trim().split("\\s+")),
				Path.of(required("startup.runtime-classpath")), Path.of(required("startup.app-classes")),
				Path.of(System.getProperty("startup.work", System.getProperty("java.io.tmpdir") + "/startup-benchmark")),
				Path.of(System.getProperty("startup.pg-dump", "/usr/bin/pg_dump")),
				arguments("startup.starter-arguments"), arguments("startup.baseline-arguments"));
	}

	private static List<String> arguments(String property) {
		return Arrays.stream(System.getProperty(property, "").trim().split("\\s+"))
			.filter((argument) -> !argument.isEmpty())
			.toList();
	}

	private static String required(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("System property " + name + " is not set: run the start-up benchmark through "
					+ "the benchmark profile of sample-app/pom.xml, which sets it");
		}
		return value;
	}

}
