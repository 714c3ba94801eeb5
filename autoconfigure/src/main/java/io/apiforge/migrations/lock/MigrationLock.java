package io.apiforge.migrations.lock;

import java.time.Duration;

/**
 * A held migration lock. Closing it releases it.
 *
 * @author apiforge
 */
public interface MigrationLock extends AutoCloseable {

	/**
	 * Return how long it took to get the lock.
	 * @return the time spent waiting
	 */
	Duration waited();

	/**
	 * Check that the lock is still held, before a step that must not run twice at once
	 * (the backup, the migration, each undo). A lock that lives on a connection can be
	 * lost with it (an idle-session timeout, a firewall's idle reset, a failover, a
	 * terminated backend), and then another instance may take it. Implementations that
	 * cannot lose their lock may keep the default, which checks nothing.
	 * @param step the step about to run, for the message, such as {@code "the backup"}
	 * @throws MigrationLockLostException when the lock is no longer held
	 */
	default void verify(String step) {
	}

	/**
	 * Release the lock. Never throws: a lock that cannot be released cleanly is dropped
	 * with its connection.
	 */
	@Override
	void close();

}
