package io.apiforge.sample.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests per second of {@code /actuator/health} on several applications, measured in
 * interleaved rounds: every round loads each application once, in a rotating order, so
 * that noise on the machine (other processes, garbage collection, the JIT) falls on all
 * of them alike. A warm-up round per application comes first and is not counted.
 *
 * @author apiforge
 */
final class HealthThroughput {

	private final LoadLoop load;

	HealthThroughput(LoadLoop load) {
		this.load = load;
	}

	/**
	 * Measure.
	 * @param applications the applications
	 * @param rounds how many measured rounds
	 * @param round how long each application is loaded per round
	 * @param warmUp how long each application is loaded before the measured rounds
	 * @return each application's rounds, in order, keyed by application
	 */
	Map<BenchmarkApplication, List<Throughput>> measure(List<BenchmarkApplication> applications, int rounds,
			Duration round, Duration warmUp) {
		Map<BenchmarkApplication, List<Throughput>> results = new LinkedHashMap<>();
		for (BenchmarkApplication application : applications) {
			this.load.run(application.uri("/actuator/health"), warmUp);
			results.put(application, new ArrayList<>());
		}
		for (int r = 0; r < rounds; r++) {
			for (int i = 0; i < applications.size(); i++) {
				BenchmarkApplication application = applications.get((r + i) % applications.size());
				results.get(application).add(this.load.run(application.uri("/actuator/health"), round));
			}
		}
		return results;
	}

}
