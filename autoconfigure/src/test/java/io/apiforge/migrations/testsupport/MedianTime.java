package io.apiforge.migrations.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * The median wall time of a task run several times in a row, for the benchmarks that
 * live beside the tests (they print it; no test asserts a time).
 */
public final class MedianTime {

	private MedianTime() {
	}

	/**
	 * Run a task a number of times and return the median of its times.
	 * @param rounds how many times to run it
	 * @param task the task
	 * @return the median, in milliseconds
	 */
	public static long millis(int rounds, Runnable task) {
		List<Long> times = new ArrayList<>();
		for (int round = 0; round < rounds; round++) {
			long start = System.nanoTime();
			task.run();
			times.add((System.nanoTime() - start) / 1_000_000);
		}
		times.sort(null);
		return times.get(times.size() / 2);
	}

}
