package io.apiforge.migrations.operations;

import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

/**
 * The start-up check of what a run will need (the lock's connection, the backup's client
 * programs), run on a thread of its own while the schema is inspected: asking
 * {@code pg_dump} and {@code pg_restore} their versions is two child processes, and the
 * inspection does not need their answer. The run waits for it before it locks, and the
 * start-up waits for it when nothing is pending, so a set-up that cannot work still stops
 * the start-up, with the check's own error, before anything is locked.
 *
 * @author apiforge
 */
final class PrerequisiteCheck {

	static final String THREAD_NAME = "migrations-startup-check";

	private final CountDownLatch done = new CountDownLatch(1);

	private volatile @Nullable Throwable failure;

	private PrerequisiteCheck() {
	}

	/**
	 * Start a check.
	 * @param check the check, which throws when what it checks is missing
	 * @return the running check
	 */
	static PrerequisiteCheck start(Runnable check) {
		PrerequisiteCheck running = new PrerequisiteCheck();
		Thread thread = new Thread(() -> running.run(check), THREAD_NAME);
		thread.setDaemon(true);
		thread.start();
		return running;
	}

	private void run(Runnable check) {
		try {
			check.run();
		}
		catch (Throwable ex) {
			this.failure = ex;
		}
		finally {
			this.done.countDown();
		}
	}

	/**
	 * Wait for the check to end, and throw what it threw.
	 */
	void await() {
		try {
			this.done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the start-up check of the lock and the backup",
					ex);
		}
		Throwable failure = this.failure;
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
	}

}
