package io.apiforge.migrations.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Proves the harness: a real server, a database per test that is dropped afterwards, a
 * class-level database for {@code @BeforeAll}, and the choice of server.
 */
@WithPostgres
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresExtensionTests {

	private static String classDatabase;

	private static String firstTestDatabase;

	@BeforeAll
	static void recordClassDatabase(TestDatabase database) {
		classDatabase = database.name();
		database.jdbc().execute("CREATE TABLE class_marker (id int)");
	}

	@BeforeEach
	void beforeEachSeesTheTestsDatabase(TestDatabase database) {
		database.jdbc().execute("CREATE TABLE IF NOT EXISTS before_each_marker (id int)");
	}

	@Test
	@Order(1)
	void eachTestGetsAFreshDatabase(TestDatabase database) {
		firstTestDatabase = database.name();
		assertThat(database.name()).isNotEqualTo(classDatabase);
		assertThat(tables(database)).containsExactly("before_each_marker");
		database.jdbc().execute("CREATE TABLE leak_probe (id int)");
	}

	@Test
	@Order(2)
	void aLaterTestSeesNothingOfAnEarlierOneAndItsDatabaseIsDropped(TestDatabase database) {
		assertThat(database.name()).isNotEqualTo(firstTestDatabase);
		assertThat(tables(database)).containsExactly("before_each_marker");
		assertThat(databases(database)).doesNotContain(firstTestDatabase).contains(database.name(), classDatabase);
	}

	@Test
	@Order(3)
	void serverIsARealPostgresqlWhoseMajorVersionMatchesTheInstalledPgDump(TestDatabase database) throws Exception {
		int serverMajor = database.jdbc().queryForObject("SHOW server_version_num", Integer.class) / 10000;
		if (PostgresServers.kind(System.getenv()) == PostgresServers.Kind.EMBEDDED) {
			assertThat(serverMajor).isEqualTo(15);
		}
		Integer pgDumpMajor = pgDumpMajorVersion();
		if (pgDumpMajor != null) {
			assertThat(pgDumpMajor).as("pg_dump on PATH must be at least as new as the test server")
				.isGreaterThanOrEqualTo(serverMajor);
		}
	}

	@Test
	void anExternalServerNamedByTheEnvironmentIsUsed(PostgresServer running) {
		Map<String, String> environment = Map.of(PostgresServers.JDBC_URL_VARIABLE,
				"jdbc:postgresql://" + running.host() + ":" + running.port() + "/" + running.maintenanceDatabase(),
				PostgresServers.USERNAME_VARIABLE, running.adminUser(), PostgresServers.PASSWORD_VARIABLE,
				running.adminPassword());
		assertThat(PostgresServers.kind(environment)).isEqualTo(PostgresServers.Kind.EXTERNAL);
		String created;
		try (PostgresServer external = PostgresServers.start(environment);
				TestDatabase database = TestDatabase.create(external)) {
			created = database.name();
			assertThat(database.jdbc().queryForObject("SELECT current_database()", String.class)).isEqualTo(created);
		}
		try (TestDatabase probe = TestDatabase.create(running)) {
			assertThat(databases(probe)).doesNotContain(created);
		}
	}

	@Test
	void theServerChecksPasswords(TestDatabase database) {
		org.springframework.jdbc.datasource.DriverManagerDataSource wrongPassword = new org.springframework.jdbc.datasource.DriverManagerDataSource(
				database.jdbcUrl(), database.username(), "not-the-password");
		org.assertj.core.api.Assertions.assertThatExceptionOfType(java.sql.SQLException.class)
			.isThrownBy(() -> wrongPassword.getConnection().close())
			.withMessageContaining("password authentication failed");
	}

	@Test
	void theServerKindIsChosenFromTheEnvironment() {
		assertThat(PostgresServers.kind(Map.of())).isEqualTo(PostgresServers.Kind.EMBEDDED);
		assertThat(PostgresServers.kind(Map.of(PostgresServers.KIND_VARIABLE, "Testcontainers")))
			.isEqualTo(PostgresServers.Kind.TESTCONTAINERS);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresServers.kind(Map.of(PostgresServers.KIND_VARIABLE, "h2")))
			.withMessageContaining("embedded, testcontainers, external");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostgresServers.start(Map.of(PostgresServers.KIND_VARIABLE, "external")))
			.withMessageContaining(PostgresServers.JDBC_URL_VARIABLE);
	}

	@AfterAll
	static void classDatabaseLivesForTheWholeClass(TestDatabase database) {
		assertThat(database.name()).isEqualTo(classDatabase);
		assertThat(tables(database)).containsExactly("class_marker");
	}

	private static List<String> tables(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
					String.class);
	}

	private static List<String> databases(TestDatabase database) {
		return database.jdbc().queryForList("SELECT datname FROM pg_database", String.class);
	}

	static Integer pgDumpMajorVersion() throws Exception {
		Process process;
		try {
			process = new ProcessBuilder("pg_dump", "--version").redirectErrorStream(true).start();
		}
		catch (java.io.IOException ex) {
			return null;
		}
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line = reader.readLine();
			process.waitFor();
			Matcher matcher = Pattern.compile("(\\d+)\\.").matcher((line != null) ? line : "");
			return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
		}
	}

}
