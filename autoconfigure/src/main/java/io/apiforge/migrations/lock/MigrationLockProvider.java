package io.apiforge.migrations.lock;

import java.time.Duration;

import javax.sql.DataSource;

/**
 * Takes the lock that serialises migrations across the instances of an application. The
 * lock must be held until {@link MigrationLock#close()}, even while the migration runs on
 * other connections, and must be released if the process dies.
 *
 * @author apiforge
 */
public interface MigrationLockProvider {

	/**
	 * Take the lock, waiting while another instance holds it.
	 * @param dataSource the database to lock
	 * @param name the name of the lock; equal names mean the same lock
	 * @param timeout how long to wait at most
	 * @return the held lock; close it to release it
	 * @throws MigrationLockTimeoutException when the lock was not free within the timeout
	 */
	MigrationLock acquire(DataSource dataSource, String name, Duration timeout);

	/**
	 * Check at start-up that the lock can be taken the way it should, before any run
	 * needs it: say once what is wrong and how to fix it, or refuse a set-up that could
	 * never work. The default checks nothing.
	 * @param dataSource the database to lock
	 * @throws io.apiforge.migrations.MigrationsException when the lock could never be
	 * taken safely with this data source
	 */
	default void check(DataSource dataSource) {
	}

	/**
	 * Return how many connections of the data source's own pool a held lock takes, so
	 * that a check of what runs need from the pool (several tenants migrated at once)
	 * counts it. The default, 1, is right for a lock that holds one of the pool's
	 * connections.
	 * @param dataSource the database to lock
	 * @return the number of pooled connections a held lock takes
	 */
	default int connectionsFromPool(DataSource dataSource) {
		return 1;
	}

}
