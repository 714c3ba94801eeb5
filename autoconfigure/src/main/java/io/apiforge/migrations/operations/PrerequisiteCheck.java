package io.apiforge.migrations.operations;

import java.util.concurrent.CountDownLatch;

import org.jspecify.annotations.Nullable;

/**
 * The start-up check of what a migration will need that costs more than a look at the
 * file system (the backup's client programs fit the server: asking {@code pg_dump} and
 * {@code pg_restore} their versions is two child processes). A start-up that finds
 * migrations pending starts it on a thread of its own while the pending migrations are
 * checked (the lint), or, on a database without a history table, while the schema is
 * inspected, and waits for it before it locks, so a set-up that cannot work
 * stops the run, with the check's own error, before anything is locked. One with nothing
 * pending does not start it (unless tenants, whose runs need it, follow): the check is
 * left for once the application is ready.
 *
 * @author apiforge
 */
final class PrerequisiteCheck implements LockedRun.BeforeLock {

	static final String THREAD_NAME = "migrations-startup-check";

	private final Runnable check;

	private final CountDownLatch done = new CountDownLatch(1);

	private volatile boolean started;

	private volatile boolean awaited;

	private volatile @Nullable Throwable failure;

	/**
	 * Create a check, not started.
	 * @param check the check, which throws when what it checks is missing
	 */
	PrerequisiteCheck(Runnable check) {
		this.check = check;
	}

	/**
	 * Start the check on a thread of its own, unless it was started already.
	 */
	@Override
	public synchronized void start() {
		if (this.started) {
			return;
		}
		this.started = true;
		Thread thread = new Thread(this::run, THREAD_NAME);
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Return whether the check was started: a run found, or guessed, that there is
	 * something to do.
	 * @return whether it was started
	 */
	boolean isStarted() {
		return this.started;
	}

	/**
	 * Return whether the check was waited for: a run had something to do.
	 * @return whether it was awaited
	 */
	boolean isAwaited() {
		return this.awaited;
	}

	private void run() {
		try {
			this.check.run();
		}
		catch (Throwable ex) {
			this.failure = ex;
		}
		finally {
			this.done.countDown();
		}
	}

	/**
	 * Wait for the check to end (starting it first if it was not), and throw what it
	 * threw.
	 */
	@Override
	public void await() {
		this.awaited = true;
		start();
		try {
			this.done.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the start-up check of the backup", ex);
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
