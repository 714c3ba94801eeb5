package io.apiforge.migrations.health;

import com.jayway.jsonpath.JsonPath;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contributor in Kubernetes probes: it keeps a pod with pending migrations out of
 * service (readiness) without getting it killed (liveness).
 */
@WithPostgres
class MigrationsHealthProbesWebIntegrationTests {

	@Test
	void pendingMigrationsFailReadinessButNotLiveness(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		try (WebApplication app = WebApplication.start(database, "spring.flyway.locations=classpath:db/basic",
				"migrations.mode=validate", "management.endpoint.health.probes.enabled=true",
				"management.endpoint.health.show-details=always",
				"management.endpoint.health.group.readiness.include=readinessState,migrations")) {
			WebApplication.Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).isEqualTo(503);
			assertThat((String) JsonPath.read(readiness.body(), "$.status")).isEqualTo("OUT_OF_SERVICE");
			WebApplication.Response liveness = app.get("/actuator/health/liveness");
			assertThat(liveness.status()).isEqualTo(200);
			assertThat(liveness.body()).doesNotContain("migrations");
			WebApplication.Response health = app.get("/actuator/health");
			assertThat((String) JsonPath.read(health.body(), "$.components.migrations.status"))
				.isEqualTo("OUT_OF_SERVICE");
			assertThat((Integer) JsonPath.read(health.body(), "$.components.migrations.details.pending")).isEqualTo(1);
		}
	}

}
