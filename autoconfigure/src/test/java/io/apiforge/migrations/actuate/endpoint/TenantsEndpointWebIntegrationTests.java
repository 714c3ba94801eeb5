package io.apiforge.migrations.actuate.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.metrics.TenantMetrics;
import io.apiforge.migrations.operations.TenantMigrations;
import io.apiforge.migrations.tenants.TenantFanOutResult;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/migrations/tenants}, the health contributor and the meters of a
 * started application with schema tenants on a real PostgreSQL, over real HTTP. The
 * application runs in {@code validate} mode (its own schema migrated beforehand), so
 * that a tenant's failure does not stop its start-up; the test runs the fan-out.
 */
@WithPostgres
class TenantsEndpointWebIntegrationTests {

	/** The broken tenant: its V2 fails on a duplicate key. */
	private static final String BROKEN = "t_004";

	private static final List<String> STATES = List.of("PENDING", "MIGRATING", "MIGRATED", "UP_TO_DATE", "FAILED",
			"SKIPPED");

	@TempDir
	Path backups;

	@Test
	void tenantsAreCountedPagedAndFilteredAndTheBrokenOneCarriesPostgresError(TestDatabase database) {
		List<String> tenants = new ArrayList<>(names(10));
		tenants.add("Big-Co");
		breakTenant(database, BROKEN);
		try (WebApplication app = start(database, tenants, "migrations.tenants.on-failure=continue")) {
			String before = tenants(app, "");
			assertThat((Integer) JsonPath.read(before, "$.total")).as("validate mode lists no tenant").isZero();
			assertThat(health(app, 200)).as("and is ready: tenants not listed do not count").contains("\"UP\"");

			TenantFanOutResult result = app.context().getBean(TenantMigrations.class).migrateAll();
			assertThat(result.failed()).extracting(TenantStatus::tenant).containsExactly(BROKEN);

			String all = tenants(app, "");
			assertThat((Integer) JsonPath.read(all, "$.total")).isEqualTo(11);
			Map<String, Integer> counts = JsonPath.read(all, "$.counts");
			assertThat(counts).containsOnlyKeys(STATES)
				.containsEntry("MIGRATED", 10)
				.containsEntry("FAILED", 1)
				.containsEntry("PENDING", 0);
			assertThat((Map<String, Object>) JsonPath.read(all, "$")).as("no filter").doesNotContainKey("state");
			assertThat((List<String>) JsonPath.read(all, "$.content[*].tenant")).as("name order, mixed case first")
				.containsExactly("Big-Co", "t_000", "t_001", "t_002", "t_003", "t_004", "t_005", "t_006", "t_007",
						"t_008", "t_009");
			assertThat((Integer) JsonPath.read(all, "$.size")).isEqualTo(20);

			String failed = tenants(app, "?state=failed");
			assertThat((String) JsonPath.read(failed, "$.state")).isEqualTo("FAILED");
			assertThat((List<String>) JsonPath.read(failed, "$.content[*].tenant")).containsExactly(BROKEN);
			assertThat((Integer) JsonPath.read(failed, "$.totalElements")).isEqualTo(1);
			assertThat((Integer) JsonPath.read(failed, "$.total")).as("the counts stay those of all").isEqualTo(11);
			String error = JsonPath.read(failed, "$.content[0].error");
			assertThat(error).contains("V2__seed_item.sql")
				.contains("duplicate key value violates unique constraint")
				.doesNotContain(database.password());
			assertThat((String) JsonPath.read(failed, "$.content[0].currentVersion")).isEqualTo("1");
			assertThat((String) JsonPath.read(failed, "$.content[0].finishedAt")).isNotNull();

			String lastPage = tenants(app, "?size=4&page=2");
			assertThat((List<String>) JsonPath.read(lastPage, "$.content[*].tenant")).containsExactly("t_007", "t_008",
					"t_009");
			assertThat((Integer) JsonPath.read(lastPage, "$.totalPages")).isEqualTo(3);
			assertThat((Integer) JsonPath.read(lastPage, "$.totalElements")).isEqualTo(11);
			String migrated = tenants(app, "?state=MIGRATED&size=4&page=0");
			assertThat((List<String>) JsonPath.read(migrated, "$.content[*].tenant")).containsExactly("Big-Co",
					"t_000", "t_001", "t_002");
			assertThat((Integer) JsonPath.read(migrated, "$.totalElements")).isEqualTo(10);
			assertThat((List<Object>) JsonPath.read(tenants(app, "?state=Skipped"), "$.content")).isEmpty();

			Response bigCo = app.get("/actuator/migrations/tenants/Big-Co");
			assertThat(bigCo.status()).isEqualTo(200);
			assertThat((String) JsonPath.read(bigCo.body(), "$.tenant")).isEqualTo("Big-Co");
			assertThat((String) JsonPath.read(bigCo.body(), "$.state")).isEqualTo("MIGRATED");
			assertThat((String) JsonPath.read(bigCo.body(), "$.currentVersion")).isEqualTo("3");
			assertThat((String) JsonPath.read(bigCo.body(), "$.expectedVersion")).isEqualTo("3");
			assertThat((Integer) JsonPath.read(bigCo.body(), "$.executed")).isEqualTo(3);
			assertThat((Integer) JsonPath.read(bigCo.body(), "$.pending")).isZero();
			assertThat((Integer) JsonPath.read(bigCo.body(), "$.durationMillis")).isNotNull();
			assertThat((Map<String, Object>) JsonPath.read(bigCo.body(), "$")).doesNotContainKeys("error", "backup");
			Response unknown = app.get("/actuator/migrations/tenants/big-co");
			assertThat(unknown.status()).as("names are case-sensitive").isEqualTo(404);
			assertThat((String) JsonPath.read(unknown.body(), "$.error")).isEqualTo("No tenant 'big-co' is known");
			assertThat(app.get("/actuator/migrations/nothing/Big-Co").status()).isEqualTo(404);

			String health = health(app, 503);
			assertThat((String) JsonPath.read(health, "$.status")).isEqualTo("DOWN");
			assertThat((Map<String, Integer>) JsonPath.read(health, "$.details.tenants")).containsOnlyKeys(STATES)
				.containsEntry("FAILED", 1)
				.containsEntry("MIGRATED", 10);
			assertThat((String) JsonPath.read(health, "$.details.state")).as("the application's own schema")
				.isEqualTo("UP_TO_DATE");

			MeterRegistry meters = app.context().getBean(MeterRegistry.class);
			assertThat(tenantsIn(meters, "failed")).isEqualTo(1);
			assertThat(tenantsIn(meters, "migrated")).isEqualTo(10);
			assertThat(tenantsIn(meters, "pending")).isZero();
			assertThat(runs(meters, "migrated").count()).isEqualTo(10);
			assertThat(runs(meters, "failed").count()).isEqualTo(1);
			assertThat(runs(meters, "up_to_date").count()).isZero();
			assertThat(runs(meters, "migrated").totalTime(TimeUnit.NANOSECONDS)).isPositive();

			// The fix: the row the broken tenant's V2 collides with is gone.
			database.jdbc().update("DELETE FROM " + BROKEN + ".item");
			assertThat(app.context().getBean(TenantMigrations.class).migrate(BROKEN).state())
				.isEqualTo(TenantState.MIGRATED);
			assertThat((String) JsonPath.read(health(app, 200), "$.status")).isEqualTo("UP");
			assertThat(tenantsIn(meters, "failed")).isZero();
			assertThat(tenantsIn(meters, "migrated")).isEqualTo(11);
			assertThat(runs(meters, "migrated").count()).isEqualTo(11);
			assertThat(runs(meters, "failed").count()).as("a run that ended stays counted").isEqualTo(1);
			assertThat((List<Object>) JsonPath.read(tenants(app, "?state=FAILED"), "$.content")).isEmpty();
		}
	}

	@Test
	void badParametersAreAnsweredLikeTheHistorysAndAnUnknownStateNamesTheValidOnes(TestDatabase database) {
		try (WebApplication app = start(database, List.of("t_000"))) {
			Response state = app.get("/actuator/migrations/tenants?state=broken");
			assertThat(state.status()).isEqualTo(400);
			assertThat((String) JsonPath.read(state.body(), "$.error")).isEqualTo(
					"Parameter 'state' must be one of PENDING, MIGRATING, MIGRATED, UP_TO_DATE, FAILED, SKIPPED, but "
							+ "was 'broken'");
			assertThat((String) JsonPath.read(state.body(), "$.action")).contains("state=FAILED");
			for (String resource : List.of("tenants", "history")) {
				for (String query : List.of("page=-1", "page=abc")) {
					Response response = app.get("/actuator/migrations/" + resource + "?" + query);
					assertThat(response.status()).as(resource + "?" + query).isEqualTo(400);
					assertThat((String) JsonPath.read(response.body(), "$.error")).as(resource + "?" + query)
						.isEqualTo("Parameter 'page' must be a whole number, 0 or more, but was '"
								+ query.substring("page=".length()) + "'");
					assertThat((String) JsonPath.read(response.body(), "$.action")).contains("page=0");
				}
				for (String query : List.of("size=0", "size=101")) {
					Response response = app.get("/actuator/migrations/" + resource + "?" + query);
					assertThat(response.status()).as(resource + "?" + query).isEqualTo(400);
					assertThat((String) JsonPath.read(response.body(), "$.error")).as(resource + "?" + query)
						.isEqualTo("Parameter 'size' must be a whole number from 1 to 100, but was '"
								+ query.substring("size=".length()) + "'");
				}
			}
			assertThat(app.get("/actuator/migrations/tenants?page=5&size=100").status()).isEqualTo(200);
		}
	}

	@Test
	void aTenantStillMigratingKeepsTheApplicationOutOfServiceUntilItIsDone(TestDatabase database) throws Exception {
		try (WebApplication app = start(database, names(3))) {
			MigrationLock held = new PostgresAdvisoryLockProvider(Duration.ofMillis(50))
				.acquire(database.dataSource(), "t_000.flyway_schema_history", Duration.ofSeconds(5));
			CompletableFuture<TenantFanOutResult> fanOut;
			try {
				fanOut = CompletableFuture
					.supplyAsync(() -> app.context().getBean(TenantMigrations.class).migrateAll());
				AdvisoryLockWaiters.await(database, 1);
				String health = health(app, 503);
				assertThat((String) JsonPath.read(health, "$.status")).isEqualTo("OUT_OF_SERVICE");
				assertThat((Map<String, Integer>) JsonPath.read(health, "$.details.tenants"))
					.containsEntry("MIGRATING", 1)
					.containsEntry("PENDING", 2);
				assertThat((List<String>) JsonPath.read(tenants(app, "?state=migrating"), "$.content[*].tenant"))
					.containsExactly("t_000");
				MeterRegistry meters = app.context().getBean(MeterRegistry.class);
				assertThat(tenantsIn(meters, "migrating")).isEqualTo(1);
				assertThat(tenantsIn(meters, "pending")).isEqualTo(2);
			}
			finally {
				held.close();
			}
			assertThat(fanOut.get(1, TimeUnit.MINUTES).isSuccess()).isTrue();
			assertThat((String) JsonPath.read(health(app, 200), "$.status")).isEqualTo("UP");
			assertThat(tenantsIn(app.context().getBean(MeterRegistry.class), "migrated")).isEqualTo(3);
		}
	}

	@Test
	void aStatementFlywayQuotesInAnErrorIsHiddenUnlessSqlIsShown(TestDatabase database) {
		TenantStatus failed = new TenantStatus("quoting", TenantState.FAILED, "1", "3", 2, 0, null, null, null, null,
				"Migration V2__seed_item.sql failed\nSQL State  : 23505\nStatement  : INSERT INTO item VALUES (1, 'x')");
		try (WebApplication app = start(database, List.of("t_000"))) {
			app.context().getBean(TenantStatuses.class).record(failed);
			String error = JsonPath.read(app.get("/actuator/migrations/tenants/quoting").body(), "$.error");
			assertThat(error).isEqualTo("Migration V2__seed_item.sql failed\nSQL State  : 23505\nStatement  : ******");
		}
		try (WebApplication app = start(database, List.of("t_000"), "management.endpoint.migrations.show-sql=always")) {
			app.context().getBean(TenantStatuses.class).record(failed);
			String error = JsonPath.read(app.get("/actuator/migrations/tenants/quoting").body(), "$.error");
			assertThat(error).contains("INSERT INTO item VALUES (1, 'x')");
		}
	}

	@Test
	void withoutTenantsTheTenantsResourceSaysHowToTurnThemOn(TestDatabase database) {
		try (WebApplication app = start(database, List.of())) {
			for (String path : List.of("/actuator/migrations/tenants", "/actuator/migrations/tenants/Big-Co")) {
				Response response = app.get(path);
				assertThat(response.status()).as(path).isEqualTo(404);
				assertThat((String) JsonPath.read(response.body(), "$.error")).as(path)
					.startsWith("Tenants are not configured");
				assertThat((String) JsonPath.read(response.body(), "$.action")).as(path)
					.contains("migrations.tenants.schemas", "migrations.tenants.query", "TenantSource");
			}
			String health = health(app, 200);
			assertThat((Map<String, Object>) JsonPath.read(health, "$.details")).doesNotContainKey("tenants");
			assertThat(app.context().getBeansOfType(TenantMetrics.class)).isEmpty();
		}
	}

	private WebApplication start(TestDatabase database, List<String> tenants, String... properties) {
		// The application's own schema is migrated: in validate mode it is UP, so that
		// what the tests see is the tenants'.
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").load().migrate();
		List<String> all = new ArrayList<>(List.of("management.endpoints.web.exposure.include=health,migrations",
				"management.endpoint.health.show-details=always", "migrations.mode=validate",
				"spring.flyway.locations=classpath:db/basic", "migrations.backup.directory=" + this.backups,
				// A pg_dump per tenant would cost the suite seconds each; backups are not what this tests.
				"migrations.backup.strategy=none", "migrations.lock.retry-interval=20ms"));
		if (!tenants.isEmpty()) {
			all.add("migrations.tenants.schemas=" + String.join(",", tenants));
		}
		all.addAll(List.of(properties));
		return WebApplication.start(database, all.toArray(String[]::new));
	}

	private static String tenants(WebApplication app, String query) {
		Response response = app.get("/actuator/migrations/tenants" + query);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private static String health(WebApplication app, int status) {
		Response response = app.get("/actuator/health/migrations");
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		return response.body();
	}

	private static double tenantsIn(MeterRegistry meters, String state) {
		return meters.get(TenantMetrics.TENANTS).tag("state", state).gauge().value();
	}

	private static FunctionTimer runs(MeterRegistry meters, String outcome) {
		return meters.get(TenantMetrics.RUNS).tag("outcome", outcome).functionTimer();
	}

	private static List<String> names(int count) {
		return IntStream.range(0, count).mapToObj((i) -> String.format("t_%03d", i)).toList();
	}

	/**
	 * Migrate a tenant to V1 and add the row its V2 inserts, so that V2 fails with
	 * PostgreSQL's duplicate key error.
	 */
	private static void breakTenant(TestDatabase database, String tenant) {
		Flyway.configure()
			.dataSource(database.dataSource())
			.schemas(tenant)
			.defaultSchema(tenant)
			.locations("classpath:db/tenant")
			.target("1")
			.load()
			.migrate();
		database.jdbc().update("INSERT INTO \"" + tenant + "\".item VALUES (1, 'in the way')");
	}

}
