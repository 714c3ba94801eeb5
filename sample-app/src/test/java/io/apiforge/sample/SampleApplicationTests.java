package io.apiforge.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application against a real PostgreSQL named by {@code spring.datasource.url}:
 * it migrates the schema to version 3 at start-up and serves users over HTTP from it.
 * One application (and database) for the class: the tests only add users with their own
 * emails.
 */
@WithPostgres
class SampleApplicationTests {

	private static ConfigurableApplicationContext context;

	private static JdbcTemplate jdbc;

	private static URI baseUri;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void startApplication(TestDatabase database) {
		String[] args = Stream
			.concat(Arrays.stream(database.springProperties()), Stream.of("server.port=0"))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		context = new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class).run(args);
		jdbc = database.jdbc();
		baseUri = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
	}

	@AfterAll
	static void stopApplication() {
		if (context != null) {
			SpringApplication.exit(context);
		}
	}

	@Test
	void startUpMigratesTheSchemaToVersion3WithoutAnEmbeddedServer() {
		assertThat(jdbc.queryForList(
				"SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank", String.class))
			.containsExactly("1", "1.1", "2", "2.1", "3");
		assertThat(context.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
	}

	@Test
	void everySeededUserHasTheFullNameFilledByVersion3() {
		String seeded = "FROM usertable WHERE email LIKE 'demo.user%@example.com'";
		assertThat(jdbc.queryForObject("SELECT count(*) " + seeded, Integer.class)).isEqualTo(2500);
		assertThat(jdbc.queryForObject("SELECT count(*) " + seeded + " AND full_name = first_name || ' ' || last_name",
				Integer.class))
			.isEqualTo(2500);
		assertThat(jdbc.queryForObject("SELECT is_nullable FROM information_schema.columns "
				+ "WHERE table_name = 'usertable' AND column_name = 'full_name'", String.class))
			.as("optional while the release before it, which does not write it, may still run; the release2 "
					+ "profile makes it mandatory")
			.isEqualTo("YES");
	}

	@Test
	void version2AddedOptionalPhoneAndAddress() {
		assertThat(jdbc.queryForList("SELECT column_name || ' ' || data_type || ' ' || is_nullable "
				+ "FROM information_schema.columns WHERE table_name = 'usertable' "
				+ "AND column_name IN ('phone', 'address') ORDER BY column_name", String.class))
			.containsExactly("address text YES", "phone character varying YES");
	}

	@Test
	void aPostedUserIsListedFirst() throws Exception {
		HttpResponse<String> created = post("""
				{"firstName": "Barbara", "lastName": "Liskov", "email": "barbara@example.org",
				 "phone": "+1 555 0100", "address": "Cambridge, MA"}""");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode user = this.json.readTree(created.body());
		assertThat(user.get("id").asString()).isNotBlank();
		assertThat(user.get("fullName").asString()).isEqualTo("Barbara Liskov");
		assertThat(user.get("email").asString()).isEqualTo("barbara@example.org");
		assertThat(user.get("phone").asString()).isEqualTo("+1 555 0100");
		assertThat(user.get("address").asString()).isEqualTo("Cambridge, MA");
		HttpResponse<String> listed = get("/users?limit=2");
		assertThat(listed.statusCode()).isEqualTo(200);
		JsonNode users = this.json.readTree(listed.body());
		assertThat(users.size()).isEqualTo(2);
		assertThat(users.get(0)).isEqualTo(user);
	}

	@Test
	void aSecondUserWithTheSameEmailIsAConflict() throws Exception {
		String body = """
				{"firstName": "Grace", "lastName": "Hopper", "email": "grace@example.org"}""";
		assertThat(post(body).statusCode()).isEqualTo(201);
		HttpResponse<String> duplicate = post(body);
		assertThat(duplicate.statusCode()).isEqualTo(409);
		assertThat(duplicate.body()).contains("A user with email grace@example.org already exists");
	}

	@Test
	void aUserWithoutEmailIsABadRequestThatNamesTheMissingField() throws Exception {
		HttpResponse<String> response = post("""
				{"firstName": "Alan", "lastName": "Turing"}""");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("missing required field(s): email");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM usertable WHERE first_name = 'Alan' AND email NOT LIKE 'demo.%'",
				Integer.class)).isZero();
	}

	@Test
	void theListIsLimited() throws Exception {
		assertThat(this.json.readTree(get("/users").body()).size()).isEqualTo(20);
		assertThat(this.json.readTree(get("/users?limit=3").body()).size()).isEqualTo(3);
		HttpResponse<String> tooMany = get("/users?limit=101");
		assertThat(tooMany.statusCode()).isEqualTo(400);
		assertThat(tooMany.body()).contains("limit must be between 1 and 100");
	}

	@Test
	void healthIsUp() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).startsWith("{").contains("\"status\":\"UP\"");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(baseUri.resolve(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String json) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(baseUri.resolve("/users"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
