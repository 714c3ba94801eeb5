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

	@TempDir
	Path scripts;

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
				.containsExactlyInAnyOrderEntriesOf(Map.of("applied", 2, "pending", 0, "failed", 0, "backups", 1));
			assertThat((Map<String, Object>) JsonPath.read(json, "$")).doesNotContainKey("applied");
			assertThat((List<Object>) JsonPath.read(json, "$.pending")).isEmpty();
			assertThat((String) JsonPath.read(json, "$.lastRun.outcome")).isEqualTo("MIGRATED");
			assertThat((String) JsonPath.read(json, "$.lastRun.fromVersion")).isEqualTo("1");
			assertThat((List<String>) JsonPath.read(json, "$.lastRun.migrationsExecuted[*].version"))
				.containsExactly("2");
			assertThat((Integer) JsonPath.read(json, "$.lastRun.migrationsExecutedCount")).isEqualTo(1);
			assertThat((String) JsonPath.read(json, "$.backups[0].file")).matches(".*_v1_to_v2\\.dump");
			assertThat((Boolean) JsonPath.read(json, "$.backups[0].verified")).isTrue();
			assertThat((String) JsonPath.read(json, "$.lastRun.backup.file"))
				.isEqualTo(JsonPath.read(json, "$.backups[0].file"));
			assertThat(json).doesNotContain(database.password());
			String all = app.get("/actuator/migrations/backups").body();
			assertThat((List<String>) JsonPath.read(all, "$.backups[*].file"))
				.containsExactly((String) JsonPath.read(json, "$.backups[0].file"));
		}
	}

	@Test
	void theHistoryIsServedNewestFirstAPageAtATime(TestDatabase database) throws Exception {
		Path scripts = generate(25);
		try (WebApplication app = start(database, "spring.flyway.locations=filesystem:" + scripts)) {
			String summary = app.get("/actuator/migrations").body();
			assertThat((Integer) JsonPath.read(summary, "$.lastRun.migrationsExecutedCount")).isEqualTo(25);
			assertThat((List<String>) JsonPath.read(summary, "$.lastRun.migrationsExecuted[*].version"))
				.containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
			String first = history(app, "?page=0&size=10");
			assertThat((List<String>) JsonPath.read(first, "$.content[*].version")).containsExactly("25", "24", "23",
					"22", "21", "20", "19", "18", "17", "16");
			assertThat((Integer) JsonPath.read(first, "$.page")).isZero();
			assertThat((Integer) JsonPath.read(first, "$.size")).isEqualTo(10);
			assertThat((Integer) JsonPath.read(first, "$.totalElements")).isEqualTo(25);
			assertThat((Integer) JsonPath.read(first, "$.totalPages")).isEqualTo(3);
			assertThat((Integer) JsonPath.read(first, "$.content[0].installedRank")).isEqualTo(25);
			assertThat((String) JsonPath.read(first, "$.content[0].script")).isEqualTo("V25__step_25.sql");
			assertThat((String) JsonPath.read(first, "$.content[0].state")).isEqualTo("SUCCESS");
			assertThat((Boolean) JsonPath.read(first, "$.content[0].success")).isTrue();
			assertThat((String) JsonPath.read(first, "$.content[0].installedBy")).isEqualTo(database.username());
			assertThat((String) JsonPath.read(first, "$.content[0].installedOn")).isNotNull();
			assertThat((Integer) JsonPath.read(first, "$.content[0].executionTimeMillis")).isNotNull();
			assertThat((Integer) JsonPath.read(first, "$.content[0].checksum")).isNotNull();

			String last = history(app, "?page=2&size=10");
			assertThat((List<String>) JsonPath.read(last, "$.content[*].version")).containsExactly("5", "4", "3", "2",
					"1");
			String beyond = history(app, "?page=3&size=10");
			assertThat((List<Object>) JsonPath.read(beyond, "$.content")).isEmpty();
			assertThat((Integer) JsonPath.read(beyond, "$.totalElements")).isEqualTo(25);

			String byDefault = history(app, "");
			assertThat((Integer) JsonPath.read(byDefault, "$.size")).isEqualTo(20);
			assertThat((List<String>) JsonPath.read(byDefault, "$.content[*].version")).hasSize(20)
				.startsWith("25", "24")
				.endsWith("7", "6");
			String largest = history(app, "?size=100");
			assertThat((List<String>) JsonPath.read(largest, "$.content[*].version")).hasSize(25);
		}
	}

	@Test
	void theHistoryIsReadFromTheTableSoAMigrationDoneElsewhereShowsAtOnce(TestDatabase database) throws Exception {
		Path scripts = generate(3);
		migrate(database, scripts, "2");
		try (WebApplication app = start(database, "spring.flyway.locations=filesystem:" + scripts,
				"migrations.mode=validate")) {
			assertThat((List<String>) JsonPath.read(history(app, ""), "$.content[*].version")).containsExactly("2",
					"1");
			migrate(database, scripts, "3");
			String history = history(app, "");
			assertThat((List<String>) JsonPath.read(history, "$.content[*].version")).containsExactly("3", "2", "1");
			assertThat((Integer) JsonPath.read(history, "$.totalElements")).isEqualTo(3);
		}
	}

	@Test
	void badPageParametersAreAnsweredWithWhatIsAllowed(TestDatabase database) {
		try (WebApplication app = start(database)) {
			for (String query : List.of("page=-1", "page=abc", "page=1.5", "page=99999999999")) {
				Response response = app.get("/actuator/migrations/history?" + query);
				assertThat(response.status()).as(query).isEqualTo(400);
				assertThat((String) JsonPath.read(response.body(), "$.error")).as(query)
					.startsWith("Parameter 'page' must be a whole number, 0 or more, but was '"
							+ query.substring("page=".length()) + "'");
				assertThat((String) JsonPath.read(response.body(), "$.action")).as(query).contains("page=0");
			}
			for (String query : List.of("size=0", "size=101", "size=-5", "size=ten")) {
				Response response = app.get("/actuator/migrations/history?" + query);
				assertThat(response.status()).as(query).isEqualTo(400);
				assertThat((String) JsonPath.read(response.body(), "$.error")).as(query)
					.startsWith("Parameter 'size' must be a whole number from 1 to 100, but was '"
							+ query.substring("size=".length()) + "'");
			}
			assertThat(app.get("/actuator/migrations/history?page=0&size=100").status()).isEqualTo(200);
			assertThat(app.get("/actuator/migrations/history?page=7&size=1").status()).isEqualTo(200);
		}
	}

	@Test
	void theSummaryListsTheFirstPendingMigrationsAndCountsThemAll(TestDatabase database) throws Exception {
		Path scripts = generate(25);
		migrate(database, scripts, "3");
		try (WebApplication app = start(database, "spring.flyway.locations=filesystem:" + scripts,
				"migrations.mode=validate", "management.endpoint.migrations.show-sql=always")) {
			String json = app.get("/actuator/migrations").body();
			assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("PENDING");
			assertThat((Integer) JsonPath.read(json, "$.counts.pending")).isEqualTo(22);
			assertThat((List<String>) JsonPath.read(json, "$.pending[*].version")).containsExactly("4", "5", "6",
					"7", "8", "9", "10", "11", "12", "13");
			assertThat((List<Object>) JsonPath.read(app.get("/actuator/migrations/plan").body(), "$.steps"))
				.hasSize(22);
			String beyondTheList = app.get("/actuator/migrations/20").body();
			assertThat((String) JsonPath.read(beyondTheList, "$.migration.state")).isEqualTo("PENDING");
			assertThat((String) JsonPath.read(beyondTheList, "$.sql")).isEqualTo("SELECT 20;\n");
		}
	}

	@Test
	void theSummaryStaysUnderTenKilobytesWithAThousandMigrations(TestDatabase database) throws Exception {
		Path scripts = generate(1000);
		migrate(database, scripts, "1000");
		try (WebApplication app = start(database, "spring.flyway.locations=filesystem:" + scripts)) {
			String json = app.get("/actuator/migrations").body();
			assertThat((Integer) JsonPath.read(json, "$.counts.applied")).isEqualTo(1000);
			assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThan(10 * 1024);
			assertThat((Integer) JsonPath.read(history(app, ""), "$.totalElements")).isEqualTo(1000);
		}
	}

	@Test
	void theSummaryListsTheNewestBackupsAndCountsThemAll(TestDatabase database) {
		migrate(database, "2");
		try (WebApplication app = start(database, "management.endpoint.migrations.access=unrestricted",
				"migrations.backup.retention.keep-last-on-request=6")) {
			List<String> taken = new java.util.ArrayList<>();
			for (int i = 0; i < 6; i++) {
				Response backup = app.post("/actuator/migrations", "{\"operation\":\"backup\"}", "admin",
						WebApplication.ADMIN_PASSWORD);
				assertThat(backup.status()).isEqualTo(200);
				taken.add(JsonPath.read(backup.body(), "$.file"));
			}
			String json = app.get("/actuator/migrations").body();
			List<String> all = JsonPath.read(app.get("/actuator/migrations/backups").body(), "$.backups[*].file");
			assertThat(all).containsExactlyInAnyOrderElementsOf(taken);
			assertThat((Integer) JsonPath.read(json, "$.counts.backups")).isEqualTo(6);
			assertThat((List<String>) JsonPath.read(json, "$.backups[*].file"))
				.containsExactlyElementsOf(all.subList(0, 5));
		}
	}

	@Test
	void oneMigrationComesWithItsSql(TestDatabase database) {
		try (WebApplication app = start(database, "management.endpoint.migrations.show-sql=always")) {
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
			assertThat((String) JsonPath.read(backup.body(), "$.file")).matches(".*_on-request_v2\\.dump");
			assertThat((String) JsonPath.read(backup.body(), "$.kind")).isEqualTo("on-request");
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
				"management.endpoint.migrations.access=unrestricted", "management.endpoint.migrations.show-sql=always")) {
			Response migratePlan = app.get("/actuator/migrations/plan");
			assertThat(migratePlan.status()).isEqualTo(200);
			assertThat((String) JsonPath.read(migratePlan.body(), "$.kind")).isEqualTo("migrate");
			assertThat((List<Object>) JsonPath.read(migratePlan.body(), "$.steps")).isEmpty();

			Response rollbackPlan = app.get("/actuator/migrations/plan?target=1");
			assertThat((List<String>) JsonPath.read(rollbackPlan.body(), "$.steps[*].undo"))
				.containsExactly("U3__add_stock.sql", "U2__add_price.sql");
			assertThat((String) JsonPath.read(rollbackPlan.body(), "$.steps[0].sql")).contains("DROP COLUMN stock");
			assertThat((Boolean) JsonPath.read(rollbackPlan.body(), "$.backup.taken")).isTrue();

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

	private static String history(WebApplication app, String query) {
		Response response = app.get("/actuator/migrations/history" + query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	/**
	 * Write {@code count} trivial SQL migrations, {@code V1__step_1.sql} upwards.
	 */
	private Path generate(int count) throws Exception {
		Path scripts = Files.createDirectory(this.scripts.resolve("scripts-" + count));
		for (int version = 1; version <= count; version++) {
			Files.writeString(scripts.resolve("V" + version + "__step_" + version + ".sql"),
					"SELECT " + version + ";\n");
		}
		return scripts;
	}

	private static void migrate(TestDatabase database, Path scripts, String target) {
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("filesystem:" + scripts)
			.target(target)
			// One transaction for all: a thousand commits would cost the test most of its time
			.group(true)
			.load()
			.migrate();
	}

	private static void migrate(TestDatabase database, String target) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target(target).load().migrate();
	}

	private static String currentVersion(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT max(version) FROM flyway_schema_history WHERE success", String.class);
	}

}
