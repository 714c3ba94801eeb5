package io.apiforge.migrations.actuate.endpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code management.endpoint.migrations.show-sql} and {@code roles} over real HTTP,
 * behaving like Spring Boot's {@code management.endpoint.env.show-values}: the SQL of a
 * migration ({@code /{version}}), of a plan's steps ({@code /plan}) and the statements
 * lint findings quote (the summary and {@code /plan}). Reads are open to anyone in
 * {@link WebApplication}; a user is sent only to be recognised.
 */
@WithPostgres
class MigrationsEndpointShowSqlWebIntegrationTests {

	/** A statement of V3 of the lint sample, pending after V1. */
	private static final String V3_STATEMENT = "CREATE INDEX usertable_phone_idx ON usertable (phone)";

	@TempDir
	Path backups;

	@Test
	void sqlIsNeverShownByDefaultNotEvenToTheAdmin(TestDatabase database) {
		try (WebApplication app = start(database)) {
			assertHidden(app, null);
			assertHidden(app, "admin");
		}
	}

	@Test
	void whenAuthorizedShowsSqlOnlyToAUserInOneOfTheRoles(TestDatabase database) {
		try (WebApplication app = start(database, "management.endpoint.migrations.show-sql=when-authorized",
				"management.endpoint.migrations.roles=MIGRATIONS_ADMIN")) {
			assertHidden(app, null);
			assertHidden(app, "viewer");
			assertShown(app, "admin");
		}
	}

	@Test
	void whenAuthorizedWithoutRolesShowsSqlToAnyAuthenticatedUser(TestDatabase database) {
		try (WebApplication app = start(database, "management.endpoint.migrations.show-sql=when-authorized")) {
			assertHidden(app, null);
			assertShown(app, "viewer");
			assertShown(app, "admin");
		}
	}

	@Test
	void alwaysShowsSqlToAnyoneWhoCanReadTheEndpoint(TestDatabase database) {
		try (WebApplication app = start(database, "management.endpoint.migrations.show-sql=always")) {
			assertShown(app, null);
		}
	}

	private static void assertShown(WebApplication app, @Nullable String user) {
		String who = (user != null) ? user : "anonymous";
		String migration = get(app, "/actuator/migrations/3", user);
		assertThat((String) JsonPath.read(migration, "$.sql")).as(who).contains(V3_STATEMENT);
		String plan = get(app, "/actuator/migrations/plan", user);
		assertThat((List<String>) JsonPath.read(plan, "$.steps[*].sql")).as(who)
			.satisfiesExactly((v2) -> assertThat(v2).contains("ADD COLUMN phone"),
					(v3) -> assertThat(v3).contains(V3_STATEMENT));
		assertThat((List<String>) JsonPath.read(plan, "$.steps[1].lint[*].statement")).as(who)
			.isNotEmpty()
			.containsOnly(V3_STATEMENT);
		String summary = get(app, "/actuator/migrations", user);
		assertThat((List<String>) JsonPath.read(summary, "$.lint.findings[*].statement")).as(who)
			.contains(V3_STATEMENT)
			.doesNotContain(MigrationsEndpoint.HIDDEN);
		assertThat((List<Map<String, Object>>) JsonPath.read(plan, "$.steps[1].lint"))
			.as("a plan step's lint entries are the summary's findings of that script, field for field")
			.isEqualTo(JsonPath.read(summary, "$.lint.findings[?(@.script == 'V3__index_user_phone.sql')]"));
	}

	private static void assertHidden(WebApplication app, @Nullable String user) {
		String who = (user != null) ? user : "anonymous";
		String migration = get(app, "/actuator/migrations/3", user);
		assertThat((String) JsonPath.read(migration, "$.migration.script")).as(who)
			.isEqualTo("V3__index_user_phone.sql");
		assertThat(field(migration, "$", "sql")).as(who).isNull();
		String plan = get(app, "/actuator/migrations/plan", user);
		assertThat((List<String>) JsonPath.read(plan, "$.steps[*].script")).as(who)
			.containsExactly("V2__add_user_contact.sql", "V3__index_user_phone.sql");
		assertThat(field(plan, "$.steps[0]", "sql")).as(who).isNull();
		assertThat(field(plan, "$.steps[1]", "sql")).as(who).isNull();
		assertThat((List<String>) JsonPath.read(plan, "$.steps[1].lint[*].rule")).as(who)
			.contains("create-index-without-concurrently");
		assertThat((List<String>) JsonPath.read(plan, "$.steps[*].lint[*].statement")).as(who)
			.isNotEmpty()
			.containsOnly(MigrationsEndpoint.HIDDEN);
		String summary = get(app, "/actuator/migrations", user);
		assertThat((List<String>) JsonPath.read(summary, "$.lint.findings[*].statement")).as(who)
			.isNotEmpty()
			.containsOnly(MigrationsEndpoint.HIDDEN);
		for (String body : List.of(migration, plan, summary)) {
			assertThat(body).as(who).doesNotContain("usertable_phone_idx ON").doesNotContain("ADD COLUMN");
		}
	}

	private static String get(WebApplication app, String path, @Nullable String user) {
		Response response = (user != null) ? app.get(path, user, password(user)) : app.get(path);
		assertThat(response.status()).as(path + " as " + user + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private static @Nullable Object field(String json, String path, String name) {
		Map<String, Object> object = JsonPath.read(json, path);
		return object.get(name);
	}

	private static String password(String user) {
		return user.equals("admin") ? WebApplication.ADMIN_PASSWORD : WebApplication.VIEWER_PASSWORD;
	}

	private WebApplication start(TestDatabase database, String... properties) {
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/lint-sample")
			.target("1")
			.load()
			.migrate();
		List<String> all = new ArrayList<>(List.of("management.endpoints.web.exposure.include=health,migrations",
				"migrations.backup.directory=" + this.backups, "spring.flyway.locations=classpath:db/lint-sample",
				"migrations.mode=validate"));
		all.addAll(Arrays.asList(properties));
		return WebApplication.start(database, all.toArray(String[]::new));
	}

}
