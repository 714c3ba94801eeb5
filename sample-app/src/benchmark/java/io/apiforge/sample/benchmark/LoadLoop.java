package io.apiforge.sample.benchmark;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop load: a few threads each send one request after another to the same URI
 * for a fixed time, and the answered requests are counted. Bounded in time, so that it
 * always stops by itself.
 *
 * @author apiforge
 */
final class LoadLoop implements AutoCloseable {

	private final ActuatorClient client;

	private final int threads;

	private final ExecutorService executor;

	LoadLoop(ActuatorClient client, int threads) {
		this.client = client;
		this.threads = threads;
		this.executor = Executors.newFixedThreadPool(threads);
	}

	/**
	 * Load a URI for a while.
	 * @param uri what to request
	 * @param duration how long to keep sending
	 * @return what was answered
	 */
	Throughput run(URI uri, Duration duration) {
		long started = System.nanoTime();
		long deadline = started + duration.toNanos();
		List<Future<Long>> workers = new ArrayList<>();
		for (int i = 0; i < this.threads; i++) {
			workers.add(this.executor.submit(() -> requestUntil(uri, deadline)));
		}
		long requests = 0;
		for (Future<Long> worker : workers) {
			requests += await(worker);
		}
		return new Throughput(requests, Duration.ofNanos(System.nanoTime() - started));
	}

	private long requestUntil(URI uri, long deadline) {
		long requests = 0;
		while (System.nanoTime() < deadline) {
			this.client.get(uri);
			requests++;
		}
		return requests;
	}

	private static long await(Future<Long> worker) {
		try {
			return worker.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("A load thread failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the load threads", ex);
		}
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
