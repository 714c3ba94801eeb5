package io.apiforge.migrations.replicas;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /actuator/migrations/replicas} over real HTTP against a started
 * application: itself, an older instance still heartbeating, and one killed long enough
 * ago to be stale.
 */
@WithPostgres
class ReplicasWebIntegrationTests {

	@Test
	void theRegistryListsThisInstanceAnOlderOneAndAStaleOne(TestDatabase database) throws Exception {
		try (WebApplication app = WebApplication.start(database,
				"management.endpoints.web.exposure.include=health,migrations", "spring.flyway.locations=classpath:db/basic",
				"migrations.backup.strategy=none",
				"migrations.drift.interval=0", "migrations.replicas.instance-id=new-pod",
				"spring.application.version=2.0.0")) {
			registry(database, "old-pod", "1.0.0", "1").heartbeat();
			registry(database, "killed-pod", "1.0.0", "1").heartbeat();
			database.jdbc()
				.update("UPDATE flyway_schema_history_replicas SET heartbeat_at = clock_timestamp() - "
						+ "interval '10 minutes' WHERE instance_id = 'killed-pod'");
			Response response = app.get("/actuator/migrations/replicas");
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			String json = response.body();
			assertThat((String) JsonPath.read(json, "$.self")).isEqualTo("new-pod");
			assertThat((String) JsonPath.read(json, "$.staleAfter")).isEqualTo("PT2M");
			assertThat((Integer) JsonPath.read(json, "$.live")).isEqualTo(2);
			assertThat((List<String>) JsonPath.read(json, "$.replicas[*].instanceId"))
				.containsExactlyInAnyOrder("new-pod", "old-pod", "killed-pod");
			assertThat((List<Object>) JsonPath.read(json, "$.replicas[?(@.instanceId == 'new-pod')].self"))
				.containsExactly(true);
			assertThat((List<Object>) JsonPath.read(json, "$.replicas[?(@.instanceId == 'new-pod')].expectedVersion"))
				.containsExactly("2");
			assertThat((List<Object>) JsonPath.read(json,
					"$.replicas[?(@.instanceId == 'new-pod')].applicationVersion"))
				.containsExactly("2.0.0");
			assertThat((List<Object>) JsonPath.read(json, "$.replicas[?(@.instanceId == 'old-pod')].live"))
				.containsExactly(true);
			assertThat((List<Object>) JsonPath.read(json, "$.replicas[?(@.instanceId == 'killed-pod')].live"))
				.containsExactly(false);
		}
		assertThat(database.jdbc()
			.queryForList("SELECT instance_id FROM flyway_schema_history_replicas", String.class))
			.as("the application's orderly shutdown removed its own row only")
			.containsExactlyInAnyOrder("old-pod", "killed-pod");
	}

	@Test
	void withoutARegistryTheRequestSaysHowToTurnItOn(TestDatabase database) {
		try (WebApplication app = WebApplication.start(database,
				"management.endpoints.web.exposure.include=health,migrations", "spring.flyway.locations=classpath:db/basic",
				"migrations.backup.strategy=none",
				"migrations.drift.interval=0", "migrations.replicas.enabled=false")) {
			Response response = app.get("/actuator/migrations/replicas");
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.body()).contains("migrations.replicas.enabled=true");
		}
	}

	private static ReplicaRegistry registry(TestDatabase database, String id, String applicationVersion,
			String expectedVersion) {
		return new ReplicaRegistry(database.dataSource(), new ReplicaTable(null, "flyway_schema_history"),
				new ReplicaIdentity(id, "host-" + id, applicationVersion, Instant.now()), () -> expectedVersion,
				Duration.ofMinutes(2));
	}

}
