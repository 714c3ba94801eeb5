package io.apiforge.sample.benchmark;

import java.time.Duration;

/**
 * How big and how long a benchmark run is, from {@code benchmark.*} system properties
 * (the Maven profile passes its properties of the same names on).
 *
 * @param migrations how many migrations to generate on top of the sample app's own
 * @param threads how many client threads load {@code /actuator/health} at once
 * @param rounds how many measured rounds each application gets
 * @param round how long one round of load lasts
 * @param latencySamples how many timed requests each endpoint gets in the latency part
 * @author apiforge
 */
record BenchmarkSettings(int migrations, int threads, int rounds, Duration round, int latencySamples) {

	BenchmarkSettings {
		if (migrations < 1 || threads < 1 || rounds < 1 || round.isNegative() || round.isZero() || latencySamples < 1) {
			throw new IllegalArgumentException("Benchmark settings must all be positive: " + migrations + " migrations, "
					+ threads + " threads, " + rounds + " rounds of " + round + ", " + latencySamples + " samples");
		}
	}

	static BenchmarkSettings fromSystemProperties() {
		return new BenchmarkSettings(Integer.getInteger("benchmark.migrations", 1000),
				Integer.getInteger("benchmark.threads", 4), Integer.getInteger("benchmark.rounds", 15),
				Duration.ofSeconds(Integer.getInteger("benchmark.round-seconds", 2)),
				Integer.getInteger("benchmark.latency-samples", 100));
	}

	/**
	 * Return how many warm-up requests precede the timed ones, per endpoint.
	 * @return a tenth of the samples, at least 5
	 */
	int latencyWarmUp() {
		return Math.max(5, this.latencySamples / 10);
	}

}
