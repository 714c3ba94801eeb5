package io.apiforge.migrations.lock;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The advisory lock against a real PostgreSQL.
 */
@WithPostgres
class PostgresAdvisoryLockProviderTests {

	private final PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));

	@Test
	void aSecondAcquirerWaitsUntilTheFirstReleases(TestDatabase database) throws Exception {
		CompletableFuture<Duration> second;
		try (MigrationLock first = this.locks.acquire(database.dataSource(), "a", Duration.ofSeconds(1))) {
			second = CompletableFuture.supplyAsync(() -> {
				try (MigrationLock lock = this.locks.acquire(database.dataSource(), "a", AdvisoryLockWaiters.GIVE_UP_AFTER)) {
					return lock.waited();
				}
			});
			AdvisoryLockWaiters.await(database, 1);
			assertThat(second).as("the second acquirer, seen waiting, while the first holds the lock").isNotDone();
		}
		assertThat(second.get(AdvisoryLockWaiters.GIVE_UP_AFTER.toSeconds(), TimeUnit.SECONDS))
			.as("the second acquirer reports that it waited")
			.isPositive();
		assertThat(AdvisoryLockWaiters.count(database)).isZero();
	}

	@Test
	void differentNamesAreDifferentLocks(TestDatabase database) {
		try (MigrationLock a = this.locks.acquire(database.dataSource(), "app.flyway_schema_history", Duration.ofSeconds(1));
				MigrationLock b = this.locks.acquire(database.dataSource(), "other.flyway_schema_history",
						Duration.ofSeconds(1))) {
			assertThat(database.jdbc()
				.queryForObject("SELECT count(DISTINCT pid) FROM pg_locks WHERE locktype = 'advisory' AND granted "
						+ "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", Integer.class))
				.as("both held at once, by two sessions")
				.isEqualTo(2);
			assertThat(AdvisoryLockWaiters.count(database)).isZero();
		}
		assertThat(PostgresAdvisoryLockProvider.keyFor("a")).isEqualTo(PostgresAdvisoryLockProvider.keyFor("a"))
			.isNotEqualTo(PostgresAdvisoryLockProvider.keyFor("b"));
	}

	@Test
	void aTimeoutNamesTheHolder(TestDatabase database) {
		try (MigrationLock held = this.locks.acquire(database.dataSource(), "a", Duration.ofSeconds(1))) {
			assertThatExceptionOfType(MigrationLockTimeoutException.class)
				.isThrownBy(() -> this.locks.acquire(database.dataSource(), "a", Duration.ofMillis(200)))
				.withMessageContaining("Timed out after 200 ms")
				.withMessageContaining("PostgreSQL backend pid");
		}
	}

	@Test
	void theLockIsReleasedWhenItsConnectionDies(TestDatabase database) {
		MigrationLock orphan = this.locks.acquire(database.dataSource(), "a", Duration.ofSeconds(1));
		long key = PostgresAdvisoryLockProvider.keyFor("a");
		Integer terminated = database.jdbc()
			.queryForObject("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
					+ "AND classid = CAST(? AS oid) AND objid = CAST(? AS oid)", Integer.class, key >>> 32,
					key & 0xFFFFFFFFL);
		assertThat(terminated).isEqualTo(1);
		// pg_terminate_backend only signals: the lock goes when the backend has exited.
		Awaitility.await().atMost(AdvisoryLockWaiters.GIVE_UP_AFTER).until(() -> holders(database, key) == 0);
		try (MigrationLock next = this.locks.acquire(database.dataSource(), "a", Duration.ofSeconds(1))) {
			assertThat(holders(database, key)).isOne();
		}
		orphan.close();
	}

	private static int holders(TestDatabase database, long key) {
		return database.jdbc()
			.queryForObject("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
					+ "AND classid = CAST(? AS oid) AND objid = CAST(? AS oid)", Integer.class, key >>> 32,
					key & 0xFFFFFFFFL);
	}

	@Test
	void anUnreachableDatabaseIsAClearError() {
		org.springframework.jdbc.datasource.DriverManagerDataSource unreachable = new org.springframework.jdbc.datasource.DriverManagerDataSource(
				"jdbc:postgresql://localhost:1/nowhere", "nobody", "");
		assertThatExceptionOfType(io.apiforge.migrations.MigrationsException.class)
			.isThrownBy(() -> this.locks.acquire(unreachable, "a", Duration.ofSeconds(1)))
			.withMessageContaining("Could not open a connection for the migration lock of a")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("spring.datasource"));
	}

}
