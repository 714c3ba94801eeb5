package io.apiforge.migrations.replicas;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The registry's table against a real PostgreSQL, in a mixed-case schema
 * ({@code "Sales"}) whose history table exists: rows written, refreshed, listed with
 * their liveness by the database's clock, removed and pruned.
 */
@WithPostgres
class ReplicaRegistryIntegrationTests {

	private static final String TABLE = "\"Sales\".flyway_schema_history_replicas";

	@Test
	void twoInstancesAreListedLiveWithTheVersionsTheyExpect(TestDatabase database) throws Exception {
		withHistory(database);
		ReplicaRegistry old = registry(database, "old-1", "1.0.0", "6");
		ReplicaRegistry current = registry(database, "new-1", "2.0.0", "7");
		assertThat(old.heartbeat()).isTrue();
		assertThat(current.heartbeat()).isTrue();
		List<Replica> replicas = current.replicas();
		assertThat(replicas).extracting(Replica::instanceId).containsExactlyInAnyOrder("old-1", "new-1");
		assertThat(replicas).allMatch(Replica::live);
		assertThat(replicas).filteredOn((replica) -> replica.instanceId().equals("old-1"))
			.singleElement()
			.satisfies((replica) -> {
				assertThat(replica.applicationVersion()).isEqualTo("1.0.0");
				assertThat(replica.expectedVersion()).isEqualTo("6");
				assertThat(replica.host()).isNotBlank();
			});
	}

	@Test
	void aHeartbeatRefreshesTheRowAndTheVersionItExpects(TestDatabase database) throws Exception {
		withHistory(database);
		String[] expected = { "6" };
		ReplicaRegistry registry = new ReplicaRegistry(database.dataSource(),
				new ReplicaTable("Sales", "flyway_schema_history"),
				new ReplicaIdentity("one", "host-a", null, Instant.now()), () -> expected[0], Duration.ofMinutes(2));
		registry.heartbeat();
		Instant first = registry.replicas().get(0).lastHeartbeat();
		expected[0] = "7";
		registry.heartbeat();
		Replica replica = registry.replicas().get(0);
		assertThat(replica.expectedVersion()).isEqualTo("7");
		assertThat(replica.lastHeartbeat()).isAfter(first);
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM " + TABLE, Integer.class)).isOne();
	}

	@Test
	void anInstanceWhoseHeartbeatIsOlderThanStaleAfterIsNotLive(TestDatabase database) throws Exception {
		withHistory(database);
		ReplicaRegistry killed = registry(database, "killed", "1.0.0", "6");
		ReplicaRegistry alive = registry(database, "alive", "2.0.0", "7");
		killed.heartbeat();
		alive.heartbeat();
		// As an instance killed three minutes ago leaves its row: nobody refreshed it.
		database.jdbc()
			.update("UPDATE " + TABLE + " SET heartbeat_at = clock_timestamp() - interval '3 minutes'"
					+ " WHERE instance_id = 'killed'");
		assertThat(alive.replicas()).extracting(Replica::instanceId, Replica::live)
			.containsExactlyInAnyOrder(tuple("killed", false),
					tuple("alive", true));
	}

	@Test
	void deregisterRemovesOnlyItsOwnRow(TestDatabase database) throws Exception {
		withHistory(database);
		ReplicaRegistry one = registry(database, "one", null, "6");
		ReplicaRegistry two = registry(database, "two", null, "6");
		one.heartbeat();
		two.heartbeat();
		assertThat(one.deregister()).isTrue();
		assertThat(two.replicas()).extracting(Replica::instanceId).containsExactly("two");
		assertThat(one.deregister()).as("already gone").isFalse();
	}

	@Test
	void theFirstHeartbeatPrunesRowsGoneForMoreThanADay(TestDatabase database) throws Exception {
		withHistory(database);
		registry(database, "long-gone", null, "5").heartbeat();
		registry(database, "lately-gone", null, "6").heartbeat();
		database.jdbc()
			.update("UPDATE " + TABLE + " SET heartbeat_at = clock_timestamp() - interval '25 hours'"
					+ " WHERE instance_id = 'long-gone'");
		database.jdbc()
			.update("UPDATE " + TABLE + " SET heartbeat_at = clock_timestamp() - interval '23 hours'"
					+ " WHERE instance_id = 'lately-gone'");
		ReplicaRegistry starting = registry(database, "starting", null, "7");
		starting.heartbeat();
		assertThat(starting.replicas()).extracting(Replica::instanceId)
			.containsExactlyInAnyOrder("lately-gone", "starting");
	}

	@Test
	void nothingIsWrittenBeforeTheHistoryTableExists(TestDatabase database) throws Exception {
		database.jdbc().execute("CREATE SCHEMA \"Sales\"");
		ReplicaRegistry registry = registry(database, "early", null, null);
		assertThat(registry.heartbeat()).isFalse();
		assertThat(registry.replicas()).isEmpty();
		assertThat(database.jdbc()
			.queryForObject("SELECT count(*) FROM pg_tables WHERE schemaname = 'Sales'", Integer.class))
			.as("Flyway would refuse a schema holding a table of ours before its history")
			.isZero();
	}

	@Test
	void instancesStartingTogetherCreateTheTableOnceAndAllRegister(TestDatabase database) throws Exception {
		withHistory(database);
		int instances = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(instances);
		try {
			List<Future<Boolean>> beats = new ArrayList<>();
			for (int i = 0; i < instances; i++) {
				ReplicaRegistry registry = registry(database, "i-" + i, null, "6");
				Callable<Boolean> beat = () -> {
					start.await();
					return registry.heartbeat();
				};
				beats.add(executor.submit(beat));
			}
			start.countDown();
			for (Future<Boolean> beat : beats) {
				assertThat(beat.get()).isTrue();
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM " + TABLE, Integer.class))
			.isEqualTo(instances);
	}

	private static void withHistory(TestDatabase database) {
		database.jdbc().execute("CREATE SCHEMA \"Sales\"");
		database.jdbc().execute("CREATE TABLE \"Sales\".flyway_schema_history (installed_rank int PRIMARY KEY)");
	}

	private static ReplicaRegistry registry(TestDatabase database, String id, @Nullable String applicationVersion,
			@Nullable String expectedVersion) {
		return new ReplicaRegistry(database.dataSource(), new ReplicaTable("Sales", "flyway_schema_history"),
				new ReplicaIdentity(id, "host-" + id, applicationVersion, Instant.now()), () -> expectedVersion,
				Duration.ofMinutes(2));
	}

}
