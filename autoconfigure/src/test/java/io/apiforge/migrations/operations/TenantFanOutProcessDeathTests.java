package io.apiforge.migrations.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import io.apiforge.migrations.autoconfigure.MigrationsTenantsAutoConfiguration;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fan-out leaves when its JVM is killed half-way (an OOM kill, a node lost, a
 * {@code kill -9}), and that the next start resumes it. A JVM of its own migrates eight
 * tenants two at once; the test holds the lock that the tenant migration V2 of
 * {@code classpath:db/tenant-blocking} takes for {@code t_002} and {@code t_003}, so that
 * the JVM is killed with two tenants migrated, two in the middle of V2 and four not
 * started, whatever the machine's speed.
 */
@WithPostgres
class TenantFanOutProcessDeathTests {

	private static final String LOCATION = "classpath:db/tenant-blocking";

	private static final List<String> TENANTS = IntStream.range(0, 8).mapToObj((i) -> "t_00" + i).toList();

	private static final List<String> MIGRATED = TENANTS.subList(0, 2);

	private static final List<String> IN_FLIGHT = TENANTS.subList(2, 4);

	private static final List<String> NOT_STARTED = TENANTS.subList(4, 8);

	/** The advisory locks held in the test's database, of any key. */
	private static final String ADVISORY_LOCKS_HELD = "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
			+ "WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.granted";

	/** The child's sessions waiting in V2 for the two-key lock the test holds. */
	private static final String WAITING_IN_V2 = "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
			+ "WHERE d.datname = current_database() AND l.locktype = 'advisory' AND l.objsubid = 2 "
			+ "AND l.classid = 4242 AND NOT l.granted";

	@TempDir
	Path temp;

	@Test
	void aFanOutKilledHalfWayLeavesEachTenantAtACommittedMigrationAndTheNextStartResumes(TestDatabase database)
			throws Exception {
		Map<String, String> ranksOfMigrated;
		try (Connection holder = database.dataSource().getConnection()) {
			for (String tenant : IN_FLIGHT) {
				advisoryLock(holder, "SELECT pg_advisory_lock(4242, hashtext(?))", tenant);
			}
			Process jvm = startFanOut(database);
			try {
				// The bound covers a JVM and an application starting on a loaded machine; a
				// passing test waits only until both sessions wait.
				Awaitility.await("both in-flight tenants to wait in V2 for the test's lock")
					.atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> {
						assertThat(jvm.isAlive()).as("the fan-out ended early: %s", output()).isTrue();
						return database.jdbc().queryForObject(WAITING_IN_V2, Integer.class) == IN_FLIGHT.size();
					});
				assertThat(tenantLocksHeld(database)).as("the tenant locks held").isEqualTo(IN_FLIGHT);
				ranksOfMigrated = installedRanks(database, MIGRATED);
				jvm.destroyForcibly().waitFor();
			}
			finally {
				jvm.destroyForcibly();
			}
			// Only now can the sessions blocked in V2 go on, find their client gone and
			// roll V2 back: PostgreSQL does not notice a dead client while a session waits.
			for (String tenant : IN_FLIGHT) {
				advisoryLock(holder, "SELECT pg_advisory_unlock(4242, hashtext(?))", tenant);
			}
			int holderPid = backendPid(holder);
			Eventually.await("the killed JVM's sessions to end", () -> database.jdbc()
				.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
						+ "AND pid <> pg_backend_pid() AND pid <> ?", Integer.class, holderPid) == 0);
		}
		assertThat(tenantLocksHeld(database)).as("the tenant locks went with the killed JVM's sessions").isEmpty();
		assertThat(database.jdbc().queryForObject(ADVISORY_LOCKS_HELD, Integer.class)).as("and every other advisory lock")
			.isZero();
		assertThat(versions(database, MIGRATED)).as("migrated before the kill")
			.allSatisfy((tenant, versions) -> assertThat(versions).containsExactly("1", "2", "3"));
		assertThat(versions(database, IN_FLIGHT)).as("at V1, the last migration that committed")
			.allSatisfy((tenant, versions) -> assertThat(versions).containsExactly("1"));
		for (String tenant : IN_FLIGHT) {
			assertThat(database.jdbc()
				.queryForObject("SELECT count(*) FROM \"" + tenant + "\".flyway_schema_history WHERE NOT success",
						Integer.class))
				.as("no failed row in %s's history: nothing to repair", tenant)
				.isZero();
			assertThat(tables(database, tenant)).as("no trace of V2 in %s", tenant)
				.containsExactlyInAnyOrder("flyway_schema_history", "item");
			assertThat(columns(database, tenant, "item")).containsExactly("id", "name");
		}
		assertThat(versions(database, NOT_STARTED)).as("not started: no history").isEmpty();

		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			TenantStatuses statuses = context.getBean(TenantStatuses.class);
			MIGRATED.forEach((tenant) -> assertThat(statuses.get(tenant).state()).isEqualTo(TenantState.UP_TO_DATE));
			IN_FLIGHT.forEach((tenant) -> {
				assertThat(statuses.get(tenant).state()).isEqualTo(TenantState.MIGRATED);
				assertThat(statuses.get(tenant).executed()).as("V2 and V3").isEqualTo(2);
			});
			NOT_STARTED.forEach((tenant) -> {
				assertThat(statuses.get(tenant).state()).isEqualTo(TenantState.MIGRATED);
				assertThat(statuses.get(tenant).executed()).isEqualTo(3);
			});
		});
		assertThat(versions(database, TENANTS)).as("every tenant at V3, each migration once")
			.hasSize(TENANTS.size())
			.allSatisfy((tenant, versions) -> assertThat(versions).containsExactly("1", "2", "3"));
		assertThat(installedRanks(database, MIGRATED)).as("not migrated again").isEqualTo(ranksOfMigrated);
	}

	private Process startFanOut(TestDatabase database) throws IOException {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx128m", "-cp", System.getProperty("java.class.path"), TenantFanOutInChildJvm.class.getName(),
				"--spring.flyway.locations=classpath:db/basic", "--migrations.backup.strategy=none",
				"--migrations.tenants.locations=" + LOCATION, "--migrations.tenants.schemas=" + String.join(",", TENANTS),
				"--migrations.tenants.parallelism=2", "--spring.datasource.hikari.maximum-pool-size=10"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("jvm.log").toFile());
		builder.environment().put("SPRING_DATASOURCE_URL", database.jdbcUrl());
		builder.environment().put("SPRING_DATASOURCE_USERNAME", database.username());
		builder.environment().put("SPRING_DATASOURCE_PASSWORD", (database.password() != null) ? database.password() : "");
		return builder.start();
	}

	private static org.springframework.boot.test.context.runner.ApplicationContextRunner runner(
			TestDatabase database) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class))
			.withPropertyValues("migrations.tenants.locations=" + LOCATION,
					"migrations.tenants.schemas=" + String.join(",", TENANTS), "migrations.tenants.parallelism=2",
					"spring.datasource.hikari.maximum-pool-size=10");
	}

	/**
	 * The tenants whose lock a session holds: a bigint advisory key is in
	 * {@code pg_locks} as its high ({@code classid}) and low ({@code objid}) halves.
	 */
	private static List<String> tenantLocksHeld(TestDatabase database) {
		List<Long> held = database.jdbc()
			.queryForList("SELECT (l.classid::bigint << 32) | l.objid::bigint FROM pg_locks l "
					+ "JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() "
					+ "AND l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted", Long.class);
		return TENANTS.stream()
			.filter((tenant) -> held.contains(PostgresAdvisoryLockProvider.keyFor(tenant + ".flyway_schema_history")))
			.toList();
	}

	private static void advisoryLock(Connection connection, String sql, String tenant) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, tenant);
			statement.execute();
		}
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_backend_pid()");
				var result = statement.executeQuery()) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * The versions in each tenant's history, by installed rank, of the tenants that have
	 * a history: a migration applied twice would be there twice.
	 */
	private static Map<String, List<String>> versions(TestDatabase database, List<String> tenants) {
		List<String> present = database.jdbc()
			.queryForList("SELECT table_schema FROM information_schema.tables WHERE table_name = 'flyway_schema_history'",
					String.class)
			.stream()
			.filter(tenants::contains)
			.toList();
		return present.stream()
			.collect(Collectors.toMap((tenant) -> tenant, (tenant) -> database.jdbc()
				.queryForList("SELECT version FROM \"" + tenant
						+ "\".flyway_schema_history WHERE type <> 'SCHEMA' ORDER BY installed_rank", String.class)));
	}

	private static Map<String, String> installedRanks(TestDatabase database, List<String> tenants) {
		return tenants.stream()
			.collect(Collectors.toMap((tenant) -> tenant, (tenant) -> database.jdbc()
				.queryForObject("SELECT string_agg(installed_rank || ' ' || version || ' ' || installed_on, ', ' "
						+ "ORDER BY installed_rank) FROM \"" + tenant + "\".flyway_schema_history", String.class)));
	}

	private static List<String> tables(TestDatabase database, String schema) {
		return database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = ?", String.class,
					schema);
	}

	private static List<String> columns(TestDatabase database, String schema, String table) {
		return database.jdbc()
			.queryForList("SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
					+ "ORDER BY ordinal_position", String.class, schema, table);
	}

	private String output() {
		try {
			return Files.readString(this.temp.resolve("jvm.log"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
