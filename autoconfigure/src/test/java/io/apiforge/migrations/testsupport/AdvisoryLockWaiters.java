package io.apiforge.migrations.testsupport;

import java.time.Duration;

import org.awaitility.Awaitility;

/**
 * Sessions waiting for an advisory lock of a test database, as the server sees them, so
 * that a test synchronises on a waiter being there instead of sleeping for a margin.
 * <p>
 * A session waits when it is blocked in {@code pg_advisory_lock} (its request is in
 * {@code pg_locks}, not granted) or when it has polled {@code pg_try_advisory_lock}
 * (its last query) and holds no advisory lock: it tried, and another session had the
 * lock. Either way, a session counted here cannot get the lock before its holder lets
 * it go.
 */
public final class AdvisoryLockWaiters {

	/**
	 * How long {@link #await} polls before it fails: long enough that only a broken test
	 * (a waiter that never comes) reaches it, on the slowest machine.
	 */
	public static final Duration GIVE_UP_AFTER = Duration.ofSeconds(60);

	private static final String WAITERS = """
			SELECT count(*) FROM pg_stat_activity a
			WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
			AND (a.pid IN (SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND NOT l.granted)
			  OR (a.query ILIKE '%pg_try_advisory_lock%'
			    AND a.pid NOT IN (SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted)))""";

	private AdvisoryLockWaiters() {
	}

	/**
	 * Return how many sessions of the database wait for an advisory lock now.
	 * @param database the database
	 * @return the number of waiters
	 */
	public static int count(TestDatabase database) {
		Integer count = database.jdbc().queryForObject(WAITERS, Integer.class);
		return (count != null) ? count : 0;
	}

	/**
	 * Wait until at least the given number of sessions wait for an advisory lock.
	 * @param database the database
	 * @param waiters how many waiters to wait for
	 */
	public static void await(TestDatabase database, int waiters) {
		Awaitility.await()
			.atMost(GIVE_UP_AFTER)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> count(database) >= waiters);
	}

}
