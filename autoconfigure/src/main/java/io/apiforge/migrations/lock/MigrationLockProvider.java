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
@FunctionalInterface
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

}
