package io.apiforge.migrations.testsupport;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for something a test can observe (a status, a row, a waiter in {@code pg_locks})
 * instead of sleeping for a margin. The bound only ends a test that is broken; a passing
 * test never waits for it.
 */
public final class Eventually {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private Eventually() {
	}

	/**
	 * Poll until the condition holds.
	 * @param what what is awaited, for the failure message
	 * @param condition the condition
	 * @throws AssertionError when it did not hold within the bound
	 */
	public static void await(String what, Supplier<Boolean> condition) {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (!Boolean.TRUE.equals(condition.get())) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Gave up after " + BOUND.toSeconds() + " s waiting for " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for " + what, ex);
			}
		}
	}

}
