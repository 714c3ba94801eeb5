package io.apiforge.migrations.operations;

import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications on one database, as two replicas are: what one does to the schema
 * shows in the other's health within its refresh interval, both ways; and a request that
 * is refused or times out leaves health as it was.
 */
@WithPostgres
class SchemaMovedElsewhereWebIntegrationTests {

	private static final String ROLLBACK_TO_2 = "{\"operation\":\"rollback\",\"target\":\"2\"}";

	@Test
	void aRollbackByOneReplicaTakesTheOtherOutOfReadinessUntilTheSchemaIsMigratedAgain(TestDatabase database) {
		try (WebApplication first = start(database); WebApplication second = start(database)) {
			assertThat(migrationsHealth(second)).isEqualTo("UP");
			Response rollback = post(first, ROLLBACK_TO_2);
			assertThat(rollback.status()).as(rollback.body()).isEqualTo(200);
			assertThat((String) JsonPath.read(rollback.body(), "$.outcome")).isEqualTo("ROLLED_BACK");

			Eventually.await("the second replica to see the rollback",
					() -> "OUT_OF_SERVICE".equals(migrationsHealth(second)));
			Response health = second.get("/actuator/health/migrations");
			assertThat((String) JsonPath.read(health.body(), "$.details.currentVersion")).isEqualTo("2");
			assertThat((String) JsonPath.read(health.body(), "$.details.expectedVersion")).isEqualTo("3");
			assertThat((String) JsonPath.read(health.body(), "$.details.state")).isEqualTo("PENDING");
			assertThat((Integer) JsonPath.read(health.body(), "$.details.pending")).isEqualTo(1);
			Response readiness = second.get("/actuator/health/readiness");
			assertThat(readiness.status()).isEqualTo(503);
			Response summary = second.get("/actuator/migrations");
			assertThat((String) JsonPath.read(summary.body(), "$.status")).isEqualTo("PENDING");

			Response migrate = first.post("/actuator/migrations", "{\"operation\":\"migrate\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(migrate.status()).as(migrate.body()).isEqualTo(200);
			Eventually.await("the second replica to see the schema migrated again",
					() -> "UP".equals(migrationsHealth(second)));
			assertThat(second.get("/actuator/health/readiness").status()).isEqualTo(200);
		}
	}

	@Test
	void aRollbackModeRunElsewhereTakesTheReplicaOutOfReadiness(TestDatabase database) {
		try (WebApplication replica = start(database)) {
			assertThat(migrationsHealth(replica)).isEqualTo("UP");
			// A rollback job: the same application in rollback mode.
			MigrationsContextRunner.forDatabase(database, "classpath:db/undo")
				.withPropertyValues("migrations.mode=rollback", "migrations.rollback.target=1")
				.run((job) -> assertThat(job).hasNotFailed());
			Eventually.await("the replica to see the rollback job's work",
					() -> "OUT_OF_SERVICE".equals(migrationsHealth(replica)));
			assertThat((String) JsonPath.read(replica.get("/actuator/health/migrations").body(),
					"$.details.currentVersion"))
				.isEqualTo("1");
		}
	}

	@Test
	void aRefusedRollbackLeavesHealthUp(TestDatabase database) {
		try (WebApplication app = start(database)) {
			Response refused = app.post("/actuator/migrations", "{\"operation\":\"rollback\",\"target\":\"7\"}", "admin",
					WebApplication.ADMIN_PASSWORD);
			assertThat(refused.status()).isEqualTo(400);
			assertThat((String) JsonPath.read(refused.body(), "$.error")).contains("refused, nothing was changed");
			assertThat(migrationsHealth(app)).isEqualTo("UP");
			Response summary = app.get("/actuator/migrations");
			assertThat((String) JsonPath.read(summary.body(), "$.lastRun.outcome")).isEqualTo("REFUSED");
			assertThat((String) JsonPath.read(summary.body(), "$.lastRun.operation")).isEqualTo("ROLLBACK");
			awaitRefresh(app);
			assertThat(migrationsHealth(app)).isEqualTo("UP");
		}
	}

	@Test
	void aRequestThatTimesOutOnTheLockLeavesHealthAsItWas(TestDatabase database) {
		try (WebApplication app = start(database, "migrations.lock.timeout=300ms")) {
			PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));
			try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
					Duration.ofSeconds(5))) {
				Response backup = post(app, "{\"operation\":\"backup\"}");
				assertThat(backup.status()).isEqualTo(500);
				assertThat((String) JsonPath.read(backup.body(), "$.error")).contains("Timed out");
				assertThat(migrationsHealth(app)).isEqualTo("UP");
				assertThat((String) JsonPath.read(app.get("/actuator/migrations").body(), "$.lastRun.outcome"))
					.isEqualTo("REFUSED");
			}
			assertThat(post(app, ROLLBACK_TO_2).status()).isEqualTo(200);
			assertThat(migrationsHealth(app)).isEqualTo("OUT_OF_SERVICE");
			try (MigrationLock held = locks.acquire(database.dataSource(), "flyway_schema_history",
					Duration.ofSeconds(5))) {
				Response migrate = post(app, "{\"operation\":\"migrate\"}");
				assertThat(migrate.status()).isEqualTo(500);
				assertThat((String) JsonPath.read(migrate.body(), "$.error")).contains("Timed out");
				assertThat(migrationsHealth(app)).as("pending, not failed").isEqualTo("OUT_OF_SERVICE");
			}
			assertThat(post(app, "{\"operation\":\"migrate\"}").status()).isEqualTo(200);
			assertThat(migrationsHealth(app)).isEqualTo("UP");
		}
	}

	private static Response post(WebApplication app, String json) {
		return app.post("/actuator/migrations", json, "admin", WebApplication.ADMIN_PASSWORD);
	}

	private static void awaitRefresh(WebApplication app) {
		String inspectedAt = JsonPath.read(app.get("/actuator/migrations").body(), "$.inspectedAt");
		Eventually.await("a refresh of the status",
				() -> !inspectedAt.equals(JsonPath.read(app.get("/actuator/migrations").body(), "$.inspectedAt")));
	}

	private static String migrationsHealth(WebApplication app) {
		return JsonPath.read(app.get("/actuator/health/migrations").body(), "$.status");
	}

	private static WebApplication start(TestDatabase database, String... more) {
		String[] properties = { "spring.flyway.locations=classpath:db/undo", "migrations.backup.strategy=none",
				"migrations.status.refresh-interval=100ms", "management.endpoint.migrations.access=unrestricted",
				"management.endpoints.web.exposure.include=health,migrations",
				"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.group.readiness.include=readinessState,migrations",
				"migrations.endpoint.write-role=MIGRATIONS_ADMIN" };
		String[] all = new String[properties.length + more.length];
		System.arraycopy(properties, 0, all, 0, properties.length);
		System.arraycopy(more, 0, all, properties.length, more.length);
		return WebApplication.start(database, all);
	}

}
