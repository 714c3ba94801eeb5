package io.apiforge.migrations.actuate.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/migrations} over real HTTP against a started application.
 */
@WithPostgres
class MigrationsEndpointWebIntegrationTests {

	@TempDir
	Path backups;

	@Test
	void theSummaryTellsWhereTheSchemaIsAndWhatTheLastRunDid(TestDatabase database) {
		migrate(database, "1");
		try (WebApplication app = start(database)) {
			Response response = app.get("/actuator/migrations");
			assertThat(response.status()).isEqualTo(200);
			String json = response.body();
			assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("UP_TO_DATE");
			assertThat((String) JsonPath.read(json, "$.currentVersion")).isEqualTo("2");
			assertThat((String) JsonPath.read(json, "$.expectedVersion")).isEqualTo("2");
			assertThat((Map<String, Object>) JsonPath.read(json, "$.counts"))
				.containsExactlyInAnyOrderEntriesOf(Map.of("applied", 2, "pending", 0, "failed", 0));
			assertThat((List<String>) JsonPath.read(json, "$.applied[*].script"))
				.containsExactly("V1__create_items.sql", "V2__add_price.sql");
			assertThat((String) JsonPath.read(json, "$.applied[1].installedBy")).isEqualTo(database.username());
			assertThat((Boolean) JsonPath.read(json, "$.applied[1].success")).isTrue();
			assertThat((Integer) JsonPath.read(json, "$.applied[1].executionTimeMillis")).isNotNull();
			assertThat((Integer) JsonPath.read(json, "$.applied[1].checksum")).isNotNull();
			assertThat((List<Object>) JsonPath.read(json, "$.pending")).isEmpty();
			assertThat((String) JsonPath.read(json, "$.lastRun.outcome")).isEqualTo("MIGRATED");
			assertThat((String) JsonPath.read(json, "$.lastRun.fromVersion")).isEqualTo("1");
			assertThat((List<String>) JsonPath.read(json, "$.lastRun.migrationsExecuted[*].version"))
				.containsExactly("2");
			assertThat((String) JsonPath.read(json, "$.backups[0].file")).matches(".*_v1_to_v2\\.dump");
			assertThat((Boolean) JsonPath.read(json, "$.backups[0].verified")).isTrue();
			assertThat((String) JsonPath.read(json, "$.lastRun.backup.file"))
				.isEqualTo(JsonPath.read(json, "$.backups[0].file"));
			assertThat(json).doesNotContain(database.password());
		}
	}

	@Test
	void oneMigrationComesWithItsSql(TestDatabase database) {
		try (WebApplication app = start(database)) {
			Response response = app.get("/actuator/migrations/2");
			assertThat(response.status()).isEqualTo(200);
			assertThat((String) JsonPath.read(response.body(), "$.migration.script")).isEqualTo("V2__add_price.sql");
			assertThat((String) JsonPath.read(response.body(), "$.sql"))
				.contains("ALTER TABLE items ADD COLUMN price numeric(10, 2);");
			assertThat(app.get("/actuator/migrations/99").status()).isEqualTo(404);
		}
	}

	@Test
	void aMigrationDoneByAnotherInstanceShowsUpWithoutAskingFlyway(TestDatabase database) throws Exception {
		migrate(database, "1");
		try (WebApplication app = start(database, "migrations.mode=validate", "migrations.status.refresh-interval=100ms")) {
			assertThat((String) JsonPath.read(app.get("/actuator/migrations").body(), "$.status")).isEqualTo("PENDING");
			migrate(database, "2");
			// The status refresher picks it up on its next round: wait for that, not for a
			// time.
			await().atMost(Duration.ofSeconds(60))
				.until(() -> JsonPath.read(app.get("/actuator/migrations").body(), "$.status").equals("UP_TO_DATE"));
			String json = app.get("/actuator/migrations").body();
			assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("UP_TO_DATE");
			assertThat((String) JsonPath.read(json, "$.currentVersion")).isEqualTo("2");
			assertThat((List<Object>) JsonPath.read(json, "$.pending")).isEmpty();
		}
	}

	@Test
	void writeOperationsAreOffByDefault(TestDatabase database) {
		try (WebApplication app = start(database)) {
			Response response = app.post("/actuator/migrations", "{\"operation\":\"backup\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(response.status()).isBetween(400, 499);
		}
		assertThat(this.backups).isEmptyDirectory();
	}

	@Test
	void withRaisedAccessWritesNeedAUserInTheWriteRole(TestDatabase database) throws Exception {
		migrate(database, "1");
		try (WebApplication app = start(database, "management.endpoint.migrations.access=unrestricted",
				"migrations.mode=validate")) {
			String migrate = "{\"operation\":\"migrate\"}";
			assertThat(app.post("/actuator/migrations", migrate, null, null).status()).isEqualTo(401);
			Response viewer = app.post("/actuator/migrations", migrate, "viewer", WebApplication.VIEWER_PASSWORD);
			assertThat(viewer.status()).isEqualTo(403);
			assertThat(viewer.body()).contains("Write operations need a user in role MIGRATIONS_ADMIN");
			assertThat(currentVersion(database)).isEqualTo("1");

			Response migrated = app.post("/actuator/migrations", migrate, "admin", WebApplication.ADMIN_PASSWORD);
			assertThat(migrated.status()).isEqualTo(200);
			assertThat((String) JsonPath.read(migrated.body(), "$.outcome")).isEqualTo("MIGRATED");
			assertThat((String) JsonPath.read(migrated.body(), "$.toVersion")).isEqualTo("2");
			assertThat(currentVersion(database)).isEqualTo("2");

			Response backup = app.post("/actuator/migrations", "{\"operation\":\"backup\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(backup.status()).isEqualTo(200);
			assertThat(Path.of((String) JsonPath.read(backup.body(), "$.file"))).exists()
				.hasFileName(Path.of((String) JsonPath.read(backup.body(), "$.file")).getFileName().toString());
			assertThat((String) JsonPath.read(backup.body(), "$.file")).matches(".*_v2_to_v2\\.dump");
			try (var files = Files.list(this.backups)) {
				assertThat(files.filter((file) -> file.toString().endsWith(".dump"))).hasSize(2);
			}

			Response unknown = app.post("/actuator/migrations", "{\"operation\":\"drop\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(unknown.status()).isEqualTo(400);
			assertThat(unknown.body()).contains("Unknown operation 'drop'");
		}
	}

	@Test
	void plansAndRollbacksOverHttp(TestDatabase database) {
		try (WebApplication app = start(database, "spring.flyway.locations=classpath:db/undo",
				"management.endpoint.migrations.access=unrestricted")) {
			Response migratePlan = app.get("/actuator/migrations/plan");
			assertThat(migratePlan.status()).isEqualTo(200);
			assertThat((String) JsonPath.read(migratePlan.body(), "$.plan.kind")).isEqualTo("migrate");
			assertThat((List<Object>) JsonPath.read(migratePlan.body(), "$.plan.steps")).isEmpty();

			Response rollbackPlan = app.get("/actuator/migrations/plan?target=1");
			assertThat((List<String>) JsonPath.read(rollbackPlan.body(), "$.plan.steps[*].undo"))
				.containsExactly("U3__add_stock.sql", "U2__add_price.sql");
			assertThat((String) JsonPath.read(rollbackPlan.body(), "$.plan.steps[0].sql")).contains("DROP COLUMN stock");
			assertThat((Boolean) JsonPath.read(rollbackPlan.body(), "$.plan.backup.taken")).isTrue();

			Response noTarget = app.post("/actuator/migrations", "{\"operation\":\"rollback\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(noTarget.status()).isEqualTo(400);
			assertThat(noTarget.body()).contains("operation=rollback needs a target");
			Response refused = app.post("/actuator/migrations", "{\"operation\":\"rollback\",\"target\":\"9\"}",
					"admin", WebApplication.ADMIN_PASSWORD);
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.body()).contains("above the current version 3");
			assertThat(app.post("/actuator/migrations", "{\"operation\":\"rollback\",\"target\":\"1\"}", "viewer",
					WebApplication.VIEWER_PASSWORD)
				.status()).isEqualTo(403);
			assertThat(currentVersion(database)).isEqualTo("3");

			Response rolledBack = app.post("/actuator/migrations", "{\"operation\":\"rollback\",\"target\":\"1\"}",
					"admin", WebApplication.ADMIN_PASSWORD);
			assertThat(rolledBack.status()).isEqualTo(200);
			assertThat((String) JsonPath.read(rolledBack.body(), "$.outcome")).isEqualTo("ROLLED_BACK");
			assertThat((List<String>) JsonPath.read(rolledBack.body(), "$.migrationsExecuted[*].version"))
				.containsExactly("3", "2");
			assertThat(currentVersion(database)).isEqualTo("1");
			String summary = app.get("/actuator/migrations").body();
			assertThat((String) JsonPath.read(summary, "$.status")).isEqualTo("PENDING");
			assertThat((String) JsonPath.read(summary, "$.lastRun.outcome")).isEqualTo("ROLLED_BACK");
		}
	}

	private WebApplication start(TestDatabase database, String... properties) {
		List<String> all = new java.util.ArrayList<>(List.of("management.endpoints.web.exposure.include=health,migrations",
				"migrations.backup.directory=" + this.backups));
		if (java.util.Arrays.stream(properties).noneMatch((property) -> property.startsWith("spring.flyway.locations="))) {
			all.add("spring.flyway.locations=classpath:db/basic");
		}
		all.addAll(List.of(properties));
		return WebApplication.start(database, all.toArray(String[]::new));
	}

	private static void migrate(TestDatabase database, String target) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target(target).load().migrate();
	}

	private static String currentVersion(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT max(version) FROM flyway_schema_history WHERE success", String.class);
	}

}
