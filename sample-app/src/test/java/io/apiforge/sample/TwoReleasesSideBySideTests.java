package io.apiforge.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Two versions side by side", over HTTP against one real PostgreSQL:
 * release 1 (no profile: the name in {@code first_name}, {@code last_name} and the new
 * {@code full_name}) keeps running while release 2 (the {@code release2} profile: the
 * full name only) starts. Release 2's expand migrations run at once; its contract
 * migration, which drops the old columns, waits for release 1 and runs at the first
 * check after it stopped. Both releases keep serving throughout. Heartbeats and checks
 * every second, so that the test does not wait for the defaults.
 */
@WithPostgres
class TwoReleasesSideBySideTests {

	private static final String NAME_PARTS = "SELECT count(*) FROM information_schema.columns "
			+ "WHERE table_name = 'usertable' AND column_name IN ('first_name', 'last_name')";

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void theContractWaitsForRelease1AndRunsOnceItStopsWhileBothKeepServing(TestDatabase database,
			@TempDir Path backups) throws Exception {
		JdbcTemplate jdbc = database.jdbc();
		ConfigurableApplicationContext release1 = start(database, backups);
		ConfigurableApplicationContext release2 = null;
		try {
			assertThat(version(jdbc)).isEqualTo("3");
			release2 = start(database, backups, "spring.profiles.active=release2",
					"migrations.contract.check-interval=1s");
			assertThat(version(jdbc)).as("release 2's expand migrations ran at its start").isEqualTo("5");

			JsonNode waiting = get(release2, "/actuator/migrations/contract");
			assertThat(waiting.path("state").asString()).isEqualTo("WAITING");
			assertThat(waiting.path("migration").asString()).isEqualTo("V5 (drop first and last name)");
			assertThat(waiting.path("blockers")).singleElement().satisfies((blocker) -> {
				assertThat(blocker.path("expectedVersion").asString()).isEqualTo("3");
				assertThat(blocker.path("applicationVersion").asString()).isEqualTo("1.0.0");
			});
			assertThat(jdbc.queryForObject(NAME_PARTS, Integer.class)).as("release 1 still writes them").isEqualTo(2);

			assertThat(postUser(release1, "Ada", "Lovelace", "ada@example.com")).isEqualTo(201);
			assertThat(postUser(release2, "Alan", "Turing", "alan@example.com")).isEqualTo(201);
			assertThat(jdbc.queryForList("SELECT concat_ws('|', email, first_name, last_name, full_name) "
					+ "FROM usertable WHERE email IN ('ada@example.com', 'alan@example.com') ORDER BY email",
					String.class))
				.as("release 1 writes both shapes, release 2 the new one only")
				.containsExactly("ada@example.com|Ada|Lovelace|Ada Lovelace", "alan@example.com|Alan Turing");
			assertThat(get(release1, "/actuator/health").path("status").asString())
				.as("release 1 on a schema ahead of it, as in a rolling deployment")
				.isEqualTo("UP");

			SpringApplication.exit(release1);
			release1 = null;
			ConfigurableApplicationContext current = release2;
			Eventually.await("the contract runs at the first check after release 1 stopped",
					() -> "APPLIED".equals(get(current, "/actuator/migrations/contract").path("state").asString()));
			assertThat(jdbc.queryForObject(NAME_PARTS, Integer.class)).isZero();
			assertThat(backups).as("the backup taken before the contract")
				.isDirectoryContaining("regex:.*_pre-contract_v0_to_v5\\.(dump|sql\\.gz)");

			assertThat(postUser(release2, "Grace", "Hopper", "grace@example.com")).isEqualTo(201);
			JsonNode users = get(release2, "/users?limit=3");
			assertThat(users.valueStream().map((user) -> user.path("fullName").asString())).containsExactly("Grace Hopper", "Alan Turing",
					"Ada Lovelace");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM usertable WHERE full_name IS NULL", Integer.class))
				.isZero();
		}
		finally {
			if (release1 != null) {
				SpringApplication.exit(release1);
			}
			if (release2 != null) {
				SpringApplication.exit(release2);
			}
		}
	}

	private static ConfigurableApplicationContext start(TestDatabase database, Path backups, String... properties) {
		String[] args = Stream
			.of(Arrays.stream(database.springProperties()),
					Stream.of("server.port=0", "migrations.backup.directory=" + backups,
							"migrations.replicas.heartbeat-interval=1s", "migrations.replicas.stale-after=2s"),
					Arrays.stream(properties))
			.flatMap((stream) -> stream)
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class).run(args);
	}

	private static String version(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
				+ "ORDER BY installed_rank DESC LIMIT 1", String.class);
	}

	private JsonNode get(ConfigurableApplicationContext application, String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(application, path)).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
			return this.json.readTree(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private int postUser(ConfigurableApplicationContext application, String firstName, String lastName, String email)
			throws IOException, InterruptedException {
		String body = """
				{"firstName": "%s", "lastName": "%s", "email": "%s"}""".formatted(firstName, lastName, email);
		return this.http.send(HttpRequest.newBuilder(uri(application, "/users"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	private static URI uri(ConfigurableApplicationContext application, String path) {
		return URI.create("http://localhost:" + application.getEnvironment().getProperty("local.server.port") + path);
	}

}
