package io.apiforge.sample.benchmark;

import java.util.Arrays;
import java.util.List;

/**
 * The latency of one endpoint over many requests.
 *
 * @param requests how many requests were timed
 * @param medianMillis the median, in milliseconds
 * @param p95Millis the 95th percentile (nearest rank), in milliseconds
 * @param minMillis the fastest, in milliseconds
 * @param maxMillis the slowest, in milliseconds
 * @param bodyBytes the size of the last response body
 * @author apiforge
 */
record LatencySummary(int requests, double medianMillis, double p95Millis, double minMillis, double maxMillis,
		int bodyBytes) {

	static LatencySummary of(List<Long> nanos, int bodyBytes) {
		long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
		Arrays.sort(sorted);
		return new LatencySummary(sorted.length, millis(percentile(sorted, 0.50)), millis(percentile(sorted, 0.95)),
				millis(sorted[0]), millis(sorted[sorted.length - 1]), bodyBytes);
	}

	private static long percentile(long[] sorted, double fraction) {
		int rank = (int) Math.ceil(fraction * sorted.length);
		return sorted[Math.max(0, rank - 1)];
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

}
