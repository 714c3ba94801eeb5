package io.apiforge.sample.benchmark;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Times single requests, one at a time, to several endpoints in turn: each round asks
 * every endpoint once, starting with a different one each time, so that whatever the
 * machine does meanwhile falls on all of them alike. Warm-up rounds come first and are
 * not counted.
 *
 * @author apiforge
 */
final class LatencyProbe {

	private final ActuatorClient client;

	LatencyProbe(ActuatorClient client) {
		this.client = client;
	}

	/**
	 * Time the endpoints.
	 * @param uris the endpoints
	 * @param warmUp untimed rounds first
	 * @param samples timed rounds
	 * @return one summary per endpoint, in the order given
	 */
	List<LatencySummary> measure(List<URI> uris, int warmUp, int samples) {
		for (int round = 0; round < warmUp; round++) {
			uris.forEach(this.client::get);
		}
		List<List<Long>> nanos = new ArrayList<>();
		int[] bodyBytes = new int[uris.size()];
		uris.forEach((uri) -> nanos.add(new ArrayList<>()));
		for (int round = 0; round < samples; round++) {
			for (int i = 0; i < uris.size(); i++) {
				int endpoint = (round + i) % uris.size();
				long started = System.nanoTime();
				bodyBytes[endpoint] = this.client.get(uris.get(endpoint)).length;
				nanos.get(endpoint).add(System.nanoTime() - started);
			}
		}
		List<LatencySummary> summaries = new ArrayList<>();
		for (int i = 0; i < uris.size(); i++) {
			summaries.add(LatencySummary.of(nanos.get(i), bodyBytes[i]));
		}
		return summaries;
	}

}
