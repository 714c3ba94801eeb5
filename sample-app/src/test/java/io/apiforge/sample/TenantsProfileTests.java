package io.apiforge.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application with the {@code tenants} profile against a real PostgreSQL: after its
 * own schema, it migrates each demo tenant's schema, the mixed-case {@code Initech-EU}
 * included, to the last tenant migration, each in its own history.
 */
@WithPostgres
class TenantsProfileTests {

	private static final List<String> TENANTS = List.of("acme", "globex", "Initech-EU");

	/** The last of the scripts in src/main/resources/db/tenant. */
	private static final String LAST_VERSION = "3";

	@Test
	void theTenantsProfileMigratesEachDemoTenantSchemaToTheLastVersion(TestDatabase database) throws Exception {
		String[] args = Stream
			.concat(Stream.of(database.springProperties()),
					Stream.of("spring.profiles.active=tenants", "server.port=0"))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.run(args);
		try {
			TenantStatuses statuses = context.getBean(TenantStatuses.class);
			assertThat(TENANTS).allSatisfy((tenant) -> {
				assertThat(statuses.get(tenant).state()).isEqualTo(TenantState.MIGRATED);
				assertThat(statuses.get(tenant).currentVersion()).isEqualTo(LAST_VERSION);
			});
			URI health = URI.create(
					"http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator/health");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(JsonMapper.builder().build().readTree(response.body()).path("status").asString())
				.isEqualTo("UP");
		}
		finally {
			SpringApplication.exit(context);
		}
		JdbcTemplate jdbc = database.jdbc();
		assertThat(jdbc.queryForList("SELECT nspname FROM pg_namespace WHERE lower(nspname) = ANY (?::text[])",
				String.class, "{acme,globex,initech-eu}"))
			.as("each tenant's schema, named as listed (quoted, not folded to lower case)")
			.containsExactlyInAnyOrderElementsOf(TENANTS);
		for (String tenant : TENANTS) {
			assertThat(jdbc.queryForList("SELECT version FROM \"" + tenant
					+ "\".flyway_schema_history WHERE success AND type <> 'SCHEMA' ORDER BY installed_rank", String.class))
				.as("%s's own history", tenant)
				.containsExactly("1", "2", LAST_VERSION);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM \"" + tenant + "\".orders WHERE status = 'placed'",
					Integer.class))
				.as("%s's seeded orders", tenant)
				.isEqualTo(5);
		}
		assertThat(jdbc.queryForObject("SELECT max(version) FROM public.flyway_schema_history WHERE success",
				String.class))
			.as("the application's own schema, migrated first as without tenants")
			.isEqualTo("3");
	}

}
