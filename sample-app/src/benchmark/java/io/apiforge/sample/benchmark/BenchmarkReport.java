package io.apiforge.sample.benchmark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints the figures of a run, the two ratios and whether each target is met. Missing a
 * target is a result to report, not a failure of the benchmark.
 *
 * @author apiforge
 */
final class BenchmarkReport {

	/** The health target: throughput with the contributor over throughput without it. */
	static final double HEALTH_TARGET = 0.9;

	/** The endpoint target: how many times faster {@code /actuator/migrations} must be. */
	static final double ENDPOINT_TARGET = 10;

	/** The size target: the most bytes the {@code /actuator/migrations} summary may take. */
	static final int SUMMARY_SIZE_TARGET = 10 * 1024;

	private final PrintStream out;

	BenchmarkReport(PrintStream out) {
		this.out = out;
	}

	void progress(String message) {
		this.out.println("[benchmark] " + message);
		this.out.flush();
	}

	/**
	 * Print the throughput of {@code /actuator/health}, one line per application, and the
	 * ratios to the application without the contributor.
	 * @param rows the applications' rounds, the one without the contributor first
	 * @param settings the run's settings
	 */
	void throughput(List<ThroughputRow> rows, BenchmarkSettings settings) {
		ThroughputRow without = rows.get(0);
		line("");
		line("GET /actuator/health: %d client threads, %d interleaved rounds of %d s per application", settings.threads(),
				settings.rounds(), settings.round().toSeconds());
		line("  %-52s %8s %18s  %s", "application", "req/s", "round min..max", "ratio to B: all rounds, median round"
				+ " (min..max)");
		for (ThroughputRow row : rows) {
			String ratio = (row == without) ? "" : String.format(Locale.ROOT, "%.3f, %.3f (%.2f..%.2f)",
					row.ratioTo(without), row.medianRoundRatioTo(without), row.minRoundRatioTo(without),
					row.maxRoundRatioTo(without));
			line("  %-52s %8.1f %8.1f..%-8.1f  %s", row.label(), row.perSecond(), row.minPerSecond(),
					row.maxPerSecond(), ratio);
		}
	}

	/**
	 * Print the latency of the endpoints.
	 * @param labels what each summary is
	 * @param summaries the summaries
	 * @param settings the run's settings
	 */
	void latency(List<String> labels, List<LatencySummary> summaries, BenchmarkSettings settings) {
		line("");
		line("Latency: one client thread, endpoints in turn, %d timed requests each after %d warm-up",
				settings.latencySamples(), settings.latencyWarmUp());
		line("  %-52s %9s %9s %9s %9s %10s", "endpoint", "median ms", "p95 ms", "min ms", "max ms", "body bytes");
		for (int i = 0; i < labels.size(); i++) {
			LatencySummary summary = summaries.get(i);
			line("  %-52s %9.2f %9.2f %9.2f %9.2f %10d", labels.get(i), summary.medianMillis(), summary.p95Millis(),
					summary.minMillis(), summary.maxMillis(), summary.bodyBytes());
		}
	}

	/**
	 * Print the result block: the two ratios and the summary's size, and whether each
	 * target is met.
	 * @param with health with the contributor
	 * @param without health without it
	 * @param migrations {@code /actuator/migrations}
	 * @param flyway {@code /actuator/flyway} on the same application
	 */
	void result(ThroughputRow with, ThroughputRow without, LatencySummary migrations, LatencySummary flyway) {
		double healthRatio = with.ratioTo(without);
		double medianRatio = flyway.medianMillis() / migrations.medianMillis();
		double p95Ratio = flyway.p95Millis() / migrations.p95Millis();
		line("");
		line("==================================== RESULT ====================================");
		line("  /actuator/health req/s, contributor on (A) / off (B)   %.1f / %.1f", with.perSecond(),
				without.perSecond());
		line("  health throughput ratio A/B, all rounds                %.3f  target >= %.2f: %s", healthRatio,
				HEALTH_TARGET, verdict(healthRatio >= HEALTH_TARGET));
		line("  health throughput ratio A/B, median round              %.3f", with.medianRoundRatioTo(without));
		line("  /actuator/migrations median / p95                      %.2f ms / %.2f ms", migrations.medianMillis(),
				migrations.p95Millis());
		line("  /actuator/flyway     median / p95                      %.2f ms / %.2f ms", flyway.medianMillis(),
				flyway.p95Millis());
		line("  /actuator/migrations body / /actuator/flyway body      %d bytes / %d bytes", migrations.bodyBytes(),
				flyway.bodyBytes());
		line("  summary size                                           %d bytes  target < %d: %s",
				migrations.bodyBytes(), SUMMARY_SIZE_TARGET, verdict(migrations.bodyBytes() < SUMMARY_SIZE_TARGET));
		line("  speed-up of migrations over flyway (median)            %.1fx  target >= %.0fx: %s", medianRatio,
				ENDPOINT_TARGET, verdict(medianRatio >= ENDPOINT_TARGET));
		line("  speed-up of migrations over flyway (p95)               %.1fx", p95Ratio);
		line("================================================================================");
	}

	void startUps(List<BenchmarkApplication> applications) {
		StringBuilder text = new StringBuilder("Start-up times:");
		for (BenchmarkApplication application : applications) {
			text.append(' ').append(application.name()).append(' ').append(seconds(application.startUp())).append(';');
		}
		line("");
		line("%s", text.substring(0, text.length() - 1));
	}

	static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	private static String verdict(boolean met) {
		return met ? "MET" : "NOT MET";
	}

	private void line(String format, Object... arguments) {
		this.out.println(String.format(Locale.ROOT, format, arguments));
	}

}
