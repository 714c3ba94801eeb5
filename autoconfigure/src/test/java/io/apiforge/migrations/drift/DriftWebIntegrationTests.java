package io.apiforge.migrations.drift;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.metrics.MigrationsMetrics;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drift over real HTTP: {@code GET /actuator/migrations/drift} with both definitions (or
 * none when SQL is hidden), the accept with who and when, and the health detail and meter
 * refreshed by the periodic check.
 */
@WithPostgres
class DriftWebIntegrationTests {

	private static final String ADD_INDEX = "CREATE INDEX orders_note ON \"Sales\".orders (note)";

	@Test
	void theDriftRequestShowsEachObjectWithBothDefinitionsWhenSqlIsShown(TestDatabase database) {
		try (WebApplication app = start(database, "management.endpoint.migrations.show-sql=always")) {
			database.jdbc().execute("ALTER TABLE \"Sales\".orders ALTER COLUMN placed_at DROP DEFAULT");
			Response response = app.get("/actuator/migrations/drift");
			assertThat(response.status()).as(response.body()).isEqualTo(200);
			String json = response.body();
			assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("DRIFTED");
			assertThat((String) JsonPath.read(json, "$.version")).isEqualTo("2");
			assertThat((String) JsonPath.read(json, "$.reference.reason")).isEqualTo("migrate");
			assertThat((String) JsonPath.read(json, "$.reference.recordedBy")).isEqualTo(database.username());
			assertThat((Integer) JsonPath.read(json, "$.counts.schema")).isEqualTo(1);
			assertThat((String) JsonPath.read(json, "$.objects[0].change")).isEqualTo("changed");
			assertThat((String) JsonPath.read(json, "$.objects[0].kind")).isEqualTo("column");
			assertThat((String) JsonPath.read(json, "$.objects[0].identity")).isEqualTo("\"Sales\".orders.placed_at");
			assertThat((String) JsonPath.read(json, "$.objects[0].severity")).isEqualTo("SCHEMA");
			assertThat((String) JsonPath.read(json, "$.objects[0].stored"))
				.isEqualTo("timestamp with time zone NOT NULL DEFAULT now()");
			assertThat((String) JsonPath.read(json, "$.objects[0].live")).isEqualTo("timestamp with time zone NOT NULL");
		}
	}

	@Test
	void hiddenSqlListsKindIdentityAndChangeOnly(TestDatabase database) {
		try (WebApplication app = start(database)) {
			database.jdbc().execute(ADD_INDEX);
			String json = app.get("/actuator/migrations/drift").body();
			assertThat((String) JsonPath.read(json, "$.objects[0].identity")).isEqualTo("\"Sales\".orders_note");
			assertThat((String) JsonPath.read(json, "$.objects[0].change")).isEqualTo("added");
			assertThat(json).doesNotContain("CREATE INDEX").doesNotContain("\"live\":\"");
		}
	}

	@Test
	void anAcceptRecordsWhoAndWhenAndTheNextRequestSaysNone(TestDatabase database) {
		try (WebApplication app = start(database, "management.endpoint.migrations.access=unrestricted")) {
			database.jdbc().execute(ADD_INDEX);
			assertThat(app.post("/actuator/migrations/drift", "{\"accept\": true}", null, null).status())
				.isEqualTo(401);
			assertThat(app.post("/actuator/migrations/drift", "{\"accept\": true}", "viewer",
					WebApplication.VIEWER_PASSWORD).status()).isEqualTo(403);
			assertThat((String) JsonPath.read(app.get("/actuator/migrations/drift").body(), "$.status"))
				.as("a refused accept changes nothing").isEqualTo("DRIFTED");
			Response accepted = app.post("/actuator/migrations/drift", "{\"accept\": true}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
			assertThat((String) JsonPath.read(accepted.body(), "$.status")).isEqualTo("NONE");
			assertThat((String) JsonPath.read(accepted.body(), "$.reference.recordedBy")).isEqualTo("admin");
			String json = app.get("/actuator/migrations/drift").body();
			assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("NONE");
			assertThat((String) JsonPath.read(json, "$.reference.reason")).isEqualTo("accepted");
			assertThat((String) JsonPath.read(json, "$.reference.recordedBy")).isEqualTo("admin");
			assertThat((String) JsonPath.read(json, "$.reference.recordedAt"))
				.isEqualTo(JsonPath.read(accepted.body(), "$.reference.recordedAt"));
		}
		assertThat(database.jdbc()
			.queryForList("SELECT reason || ' by ' || recorded_by FROM \"Sales\".flyway_schema_history_fingerprints "
					+ "ORDER BY id", String.class))
			.containsExactly("migrate by " + database.username(), "accepted by admin");
	}

	@Test
	void theHealthDetailAndTheMeterShowTheCountAfterTheInterval(TestDatabase database) {
		try (WebApplication app = start(database, "migrations.drift.interval=1s",
				"management.endpoint.health.show-details=always")) {
			MeterRegistry registry = app.context().getBean(MeterRegistry.class);
			assertThat(registry.get(MigrationsMetrics.DRIFT_OBJECTS).tag("severity", "schema").gauge().value()).isZero();
			assertThat(registry.get(MigrationsMetrics.DRIFT_OBJECTS).tag("severity", "privileges").gauge().value())
				.isZero();
			database.jdbc().execute(ADD_INDEX);
			Eventually.await("the meter to count the added index", () -> registry.get(MigrationsMetrics.DRIFT_OBJECTS)
				.tag("severity", "schema")
				.gauge()
				.value() == 1);
			String health = app.get("/actuator/health/migrations").body();
			assertThat((String) JsonPath.read(health, "$.status")).as("drift is a detail").isEqualTo("UP");
			assertThat((String) JsonPath.read(health, "$.details.drift.status")).isEqualTo("DRIFTED");
			assertThat((Integer) JsonPath.read(health, "$.details.drift.objects.schema")).isEqualTo(1);
			assertThat((Integer) JsonPath.read(health, "$.details.drift.objects.privileges")).isZero();
			assertThat((String) JsonPath.read(health, "$.details.drift.version")).isEqualTo("2");
			assertThat((String) JsonPath.read(health, "$.details.drift.checkedAt")).isNotBlank();
			assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
				.contains(DriftMonitor.THREAD_NAME);
		}
		Eventually.await("the drift thread to stop with the context", () -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.noneMatch((thread) -> thread.getName().equals(DriftMonitor.THREAD_NAME) && thread.isAlive()));
	}

	private static WebApplication start(TestDatabase database, String... properties) {
		List<String> all = new java.util.ArrayList<>(List.of("management.endpoints.web.exposure.include=health,migrations",
				"spring.flyway.locations=classpath:db/drift", "spring.flyway.default-schema=Sales",
				"migrations.backup.strategy=none"));
		if (java.util.Arrays.stream(properties).noneMatch((property) -> property.startsWith("migrations.drift.interval="))) {
			all.add("migrations.drift.interval=0");
		}
		all.addAll(List.of(properties));
		return WebApplication.start(database, all.toArray(String[]::new));
	}

}
