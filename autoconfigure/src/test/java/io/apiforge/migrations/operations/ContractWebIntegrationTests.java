package io.apiforge.migrations.operations;

import java.time.Duration;
import java.time.Instant;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.metrics.ContractMetrics;
import io.apiforge.migrations.replicas.ReplicaIdentity;
import io.apiforge.migrations.replicas.ReplicaRegistry;
import io.apiforge.migrations.replicas.ReplicaTable;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract migrations over real HTTP against a started application, while an instance
 * of the previous version (expecting version 2) is still registered: the waiting state in
 * {@code /actuator/migrations/contract}, the summary, the health detail (UP) and the
 * gauge; a forced run refused to an anonymous user and run for an administrator, recorded
 * with the name.
 */
@WithPostgres
class ContractWebIntegrationTests {

	private static final String PRICE_EXISTS = "SELECT count(*) FROM information_schema.columns "
			+ "WHERE table_name = 'items' AND column_name = 'price'";

	@Test
	void aWaitingContractIsShownEverywhereAndAnAdministratorCanForceIt(TestDatabase database) throws Exception {
		// The previous version: expand migrations up to 2, still running.
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
		new ReplicaRegistry(database.dataSource(), new ReplicaTable(null, "flyway_schema_history"),
				new ReplicaIdentity("old-pod", "host-old", "1.4.0", Instant.now()), () -> "2", Duration.ofMinutes(2))
			.heartbeat();
		try (WebApplication app = WebApplication.start(database,
				"management.endpoints.web.exposure.include=health,migrations",
				"management.endpoint.health.show-details=always", "management.endpoint.migrations.access=unrestricted",
				"migrations.endpoint.write-role=MIGRATIONS_ADMIN", "spring.flyway.locations=classpath:db/ahead",
				"migrations.contract.locations=classpath:db/contract", "migrations.contract.check-interval=0",
				"migrations.backup.strategy=none", "migrations.drift.interval=0")) {
			Response contract = app.get("/actuator/migrations/contract");
			assertThat(contract.status()).as(contract.body()).isEqualTo(200);
			assertThat((String) JsonPath.read(contract.body(), "$.state")).isEqualTo("WAITING");
			assertThat((String) JsonPath.read(contract.body(), "$.requiredVersion")).isEqualTo("3");
			assertThat((String) JsonPath.read(contract.body(), "$.blockers[0].instance")).isEqualTo("old-pod");
			assertThat((String) JsonPath.read(contract.body(), "$.blockers[0].host")).isEqualTo("host-old");
			assertThat((String) JsonPath.read(contract.body(), "$.blockers[0].expectedVersion")).isEqualTo("2");
			assertThat((String) JsonPath.read(app.get("/actuator/migrations").body(), "$.contract.state"))
				.isEqualTo("WAITING");
			String health = app.get("/actuator/health/migrations").body();
			assertThat((String) JsonPath.read(health, "$.status")).as("waiting is the plan, not a fault")
				.isEqualTo("UP");
			assertThat((String) JsonPath.read(health, "$.details.contract.state")).isEqualTo("WAITING");
			assertThat((Integer) JsonPath.read(health, "$.details.contract.blockers")).isEqualTo(1);
			MeterRegistry meters = app.context().getBean(MeterRegistry.class);
			assertThat(meters.get(ContractMetrics.WAITING).gauge().value()).isEqualTo(1);
			assertThat(database.jdbc().queryForObject(PRICE_EXISTS, Integer.class)).isEqualTo(1);

			assertThat(app.post("/actuator/migrations/contract", "{\"force\": true}", null, null).status())
				.isEqualTo(401);
			assertThat(app.post("/actuator/migrations/contract", "{\"force\": true}", "viewer",
					WebApplication.VIEWER_PASSWORD).status()).isEqualTo(403);
			assertThat(database.jdbc().queryForObject(PRICE_EXISTS, Integer.class)).as("refused: nothing ran")
				.isEqualTo(1);
			Response forced = app.post("/actuator/migrations/contract", "{\"force\": true}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(forced.status()).as(forced.body()).isEqualTo(200);
			assertThat((String) JsonPath.read(forced.body(), "$.state")).isEqualTo("APPLIED");
			assertThat((String) JsonPath.read(forced.body(), "$.forcedBy")).isEqualTo("admin");
			assertThat(database.jdbc().queryForObject(PRICE_EXISTS, Integer.class)).isZero();
			assertThat(meters.get(ContractMetrics.WAITING).gauge().value()).isZero();
		}
	}

	@Test
	void withoutContractLocationsTheRequestSaysWhichPropertyTurnsThemOn(TestDatabase database) {
		try (WebApplication app = WebApplication.start(database,
				"management.endpoints.web.exposure.include=health,migrations",
				"spring.flyway.locations=classpath:db/basic", "migrations.backup.strategy=none",
				"migrations.drift.interval=0")) {
			Response response = app.get("/actuator/migrations/contract");
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.body()).contains("migrations.contract.locations");
		}
	}

}
