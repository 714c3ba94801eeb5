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
	 * Release the lock. Never throws: a lock that cannot be released cleanly is dropped
	 * with its connection.
	 */
	@Override
	void close();

}
