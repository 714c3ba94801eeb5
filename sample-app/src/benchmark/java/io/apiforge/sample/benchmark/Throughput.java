package io.apiforge.sample.benchmark;

import java.time.Duration;

/**
 * How many requests one round of load completed, and in how long.
 *
 * @param requests the requests answered
 * @param elapsed from the first request sent to the last answer
 * @author apiforge
 */
record Throughput(long requests, Duration elapsed) {

	double perSecond() {
		return this.requests / (this.elapsed.toNanos() / 1e9);
	}

	Throughput plus(Throughput other) {
		return new Throughput(this.requests + other.requests, this.elapsed.plus(other.elapsed));
	}

}
