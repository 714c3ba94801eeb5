package io.apiforge.sample.benchmark;

import java.util.List;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * One application's measured rounds of {@code /actuator/health} load.
 *
 * @param label what the report calls the application
 * @param rounds its rounds, in the order measured
 * @author apiforge
 */
record ThroughputRow(String label, List<Throughput> rounds) {

	/**
	 * Return requests per second over all rounds together.
	 * @return the throughput
	 */
	double perSecond() {
		return this.rounds.stream().reduce(Throughput::plus).orElseThrow().perSecond();
	}

	double minPerSecond() {
		return this.rounds.stream().mapToDouble(Throughput::perSecond).min().orElseThrow();
	}

	double maxPerSecond() {
		return this.rounds.stream().mapToDouble(Throughput::perSecond).max().orElseThrow();
	}

	double ratioTo(ThroughputRow other) {
		return perSecond() / other.perSecond();
	}

	/**
	 * Return the median of the ratios of the rounds measured next to each other, which
	 * one noisy round cannot move much.
	 * @param other the application to compare with
	 * @return the median ratio
	 */
	double medianRoundRatioTo(ThroughputRow other) {
		double[] ratios = roundRatios(other).sorted().toArray();
		int middle = ratios.length / 2;
		return (ratios.length % 2 == 1) ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
	}

	double minRoundRatioTo(ThroughputRow other) {
		return roundRatios(other).min().orElseThrow();
	}

	double maxRoundRatioTo(ThroughputRow other) {
		return roundRatios(other).max().orElseThrow();
	}

	/** Ratios of the rounds measured in the same interleaved round. */
	private DoubleStream roundRatios(ThroughputRow other) {
		return IntStream.range(0, Math.min(this.rounds.size(), other.rounds.size()))
			.mapToDouble((i) -> this.rounds.get(i).perSecond() / other.rounds.get(i).perSecond());
	}

}
