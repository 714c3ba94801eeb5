package io.apiforge.sample.benchmark;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.apiforge.sample.benchmark.ChildStart.Sample;

/**
 * Prints the start-up benchmark's progress, each pair as it is measured, and the result
 * block: the machine, per case the medians of both variants, the ratios and the issue's
 * targets. A missed target is a result to report, not a failure.
 *
 * @author apiforge
 */
final class StartupReport {

	/** Nothing pending: the most wall time the starter may take, over plain Boot + Flyway. */
	static final double NOTHING_PENDING_WALL = 1.02;

	/** Nothing pending: the most peak memory the starter may take, over plain Boot + Flyway. */
	static final double NOTHING_PENDING_PEAK = 1.05;

	/** An empty database with 200 pending: the most wall time, over plain Boot + Flyway. */
	static final double EMPTY_DATABASE_WALL = 1.10;

	/** The backup case: the most wall time, over plain Boot + Flyway plus a hand-run pg_dump. */
	static final double BACKUP_WALL = 1.05;

	private static final String RULE = "=".repeat(100);

	private final PrintStream out;

	private String machine = "";

	StartupReport(PrintStream out) {
		this.out = out;
	}

	void progress(String message) {
		this.out.println("[startup-benchmark] " + message);
		this.out.flush();
	}

	void machine(StartupSettings settings, String postgres, String pgDump) {
		long memory = (ManagementFactory
			.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)
					? os.getTotalMemorySize() / (1024L * 1024 * 1024) : -1;
		this.machine = String.format(Locale.ROOT,
				"%d cores, %d GiB memory, %s %s; Java %s (%s); child JVMs: %s; PostgreSQL %s; %s",
				Runtime.getRuntime().availableProcessors(), memory, System.getProperty("os.name"),
				System.getProperty("os.arch"), System.getProperty("java.runtime.version"),
				System.getProperty("java.vm.name"), String.join(" ", settings.jvmOptions()), postgres, pgDump);
		progress("Machine: " + this.machine);
		progress(loadAverage());
	}

	void pair(int pair, boolean starterFirst, Sample starter, Sample plain) {
		progress(String.format(Locale.ROOT,
				"  pair %d (%s first): starter %.0f ms %.0f MiB peak %.0f MiB heap %.0f ms CPU, plain %.0f ms %.0f MiB "
						+ "peak %.0f MiB heap %.0f ms CPU; wall %.3f, peak %.3f, CPU %.3f",
				pair, starterFirst ? "starter" : "plain", starter.wallMillis(), starter.peakMib(), starter.heapMib(),
				starter.cpuMillis(), plain.wallMillis(), plain.peakMib(), plain.heapMib(), plain.cpuMillis(),
				starter.wallMillis() / plain.wallMillis(), starter.peakMib() / plain.peakMib(),
				starter.cpuMillis() / plain.cpuMillis())
				+ ((plain.addedMillis() > 0)
						? String.format(Locale.ROOT, " (plain's wall includes pg_dump: %.0f ms)", plain.addedMillis())
						: ""));
	}

	void result(List<StartupCaseResult> results, StartupSettings settings) {
		progress(loadAverage());
		line("");
		line(RULE);
		line("START-UP BENCHMARK: the starter next to %s, whole process, %d alternating pairs per case",
				settings.starterBaseline() ? "itself with fewer parts" : "plain Spring Boot + Flyway", settings.pairs());
		line("  machine: %s", this.machine);
		if (settings.starterBaseline()) {
			line("  BASELINE (the plain columns): the starter itself with %s, not plain Spring Boot + Flyway",
					String.join(" ", settings.baselineArguments()));
		}
		line("  wall = spawn of the JVM until the application is ready (case 4 plain: + the hand-run pg_dump -Fc)");
		line("  peak = the JVM's VmHWM when ready; heap = heap used after System.gc() when ready; ratio = starter / "
				+ "plain, median of the pairs (min..max)");
		line("  CPU = the CPU time of the child JVM's threads until ready, not its child processes' (the work a start "
				+ "did; no target)");
		line("");
		line("  %-44s %9s %9s %9s   %9s %9s %9s", "case", "starter", "plain", "", "starter", "plain", "");
		line("  %-44s %9s %9s %9s   %9s %9s %9s", "", "wall ms", "wall ms", "ratio", "peak MiB", "peak MiB", "ratio");
		for (StartupCaseResult result : results) {
			line("  %-44s %9.0f %9.0f %9.3f   %9.1f %9.1f %9.3f", result.startupCase().label(),
					result.medianStarter(Sample::wallMillis), result.medianPlain(Sample::wallMillis),
					result.medianRatio(Sample::wallMillis), result.medianStarter(Sample::peakMib),
					result.medianPlain(Sample::peakMib), result.medianRatio(Sample::peakMib));
			line("  %-44s %9s %9s %9s   %9s %9s %9s", "    per pair min..max", "", "",
					range(result, Sample::wallMillis), "", "", range(result, Sample::peakMib));
			line("  %-44s heap after GC: starter %.1f MiB, plain %.1f MiB (ratio %.3f)", "",
					result.medianStarter(Sample::heapMib), result.medianPlain(Sample::heapMib),
					result.medianRatio(Sample::heapMib));
			line("  %-44s CPU until ready (the JVM's threads): starter %.0f ms, plain %.0f ms (ratio %.3f, %s)", "",
					result.medianStarter(Sample::cpuMillis), result.medianPlain(Sample::cpuMillis),
					result.medianRatio(Sample::cpuMillis), range(result, Sample::cpuMillis));
			if (result.startupCase().backup()) {
				line("  %-44s plain's wall includes the hand-run pg_dump -Fc: %.0f ms (median)", "",
						result.medianPlain(Sample::addedMillis));
			}
			line("  %-44s target: %s", "", settings.starterBaseline() ? "none (the baseline is the starter)" : target(result));
		}
		line(RULE);
		this.out.flush();
	}

	private static String range(StartupCaseResult result, ToDoubleFunction<Sample> figure) {
		return String.format(Locale.ROOT, "%.2f..%.2f", result.minRatio(figure), result.maxRatio(figure));
	}

	private static String target(StartupCaseResult result) {
		StartupCase startupCase = result.startupCase();
		double wall = result.medianRatio(Sample::wallMillis);
		String baseline = startupCase.backup() ? "plain + pg_dump" : "plain";
		String text = String.format(Locale.ROOT, "wall <= %.2fx of %s: %s", startupCase.wallTarget(), baseline,
				met(wall <= startupCase.wallTarget()));
		StartupCaseResult.Interval interval = result.medianRatioInterval(Sample::wallMillis);
		text += (interval != null) ? String.format(Locale.ROOT, " (95 %% interval of the median %.3f..%.3f: %s)",
				interval.low(), interval.high(), resolved(interval, startupCase.wallTarget()))
				: " (too few pairs for a 95 % interval of the median: 6 or more)";
		if (startupCase.peakTarget() > 0) {
			double peak = result.medianRatio(Sample::peakMib);
			text += String.format(Locale.ROOT, "; peak memory <= %.2fx: %s", startupCase.peakTarget(),
					met(peak <= startupCase.peakTarget()));
		}
		return text;
	}

	private static String resolved(StartupCaseResult.Interval interval, double target) {
		if (interval.high() <= target) {
			return "met beyond the noise";
		}
		if (interval.low() > target) {
			return "missed beyond the noise";
		}
		return "the target lies within it, so this run cannot tell";
	}

	private static String met(boolean met) {
		return met ? "met" : "MISSED";
	}

	private static String loadAverage() {
		double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		return (load >= 0) ? String.format(Locale.ROOT, "System load average (1 min): %.2f", load)
				: "System load average not available";
	}

	private void line(String format, Object... arguments) {
		this.out.println(String.format(Locale.ROOT, format, arguments));
	}

}
