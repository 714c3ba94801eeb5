package io.apiforge.migrations.operations;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WebApplication.Response;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.mode=background} in a started application over real HTTP: the probes
 * answer while the migration runs, readiness follows the run, a failure exits. The slow
 * migration ({@code db/background}, V2) waits for an advisory lock the test holds, so
 * that it is in progress for exactly as long as the test needs, with no timing margin.
 */
@WithPostgres
class BackgroundMigrationWebIntegrationTests {

	/** The advisory lock V2 of {@code db/background} waits for. */
	private static final int TEST_LOCK = 4242;

	@Test
	void whileTheMigrationRunsLivenessIsUpAndReadinessIsOutOfServiceWithItsProgress(TestDatabase database)
			throws Exception {
		try (HeldLock held = HeldLock.hold(database);
				WebApplication app = start(database, new Class<?>[0], "spring.flyway.locations=classpath:db/background")) {
			AdvisoryLockWaiters.await(database, 1);
			Response liveness = app.get("/actuator/health/liveness");
			assertThat(liveness.status()).isEqualTo(200);
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
			assertThat((String) JsonPath.read(readiness.body(), "$.status")).isEqualTo("OUT_OF_SERVICE");
			assertThat((String) JsonPath.read(readiness.body(), "$.components.migrations.details.running.version"))
				.isEqualTo("2");
			assertThat((Integer) JsonPath.read(readiness.body(), "$.components.migrations.details.running.step"))
				.isEqualTo(2);
			assertThat((Integer) JsonPath.read(readiness.body(), "$.components.migrations.details.running.steps"))
				.isEqualTo(3);
			String summary = app.get("/actuator/migrations").body();
			assertThat((String) JsonPath.read(summary, "$.running.operation")).isEqualTo("MIGRATE");
			assertThat((String) JsonPath.read(summary, "$.running.phase")).isEqualTo("APPLYING");
			assertThat((String) JsonPath.read(summary, "$.running.version")).isEqualTo("2");
			assertThat((String) JsonPath.read(summary, "$.running.description")).isEqualTo("wait for the test");
			assertThat((Integer) JsonPath.read(summary, "$.running.step")).isEqualTo(2);
			assertThat((Integer) JsonPath.read(summary, "$.running.steps")).isEqualTo(3);
			assertThat(currentVersion(database)).isEqualTo("1");
			held.release();
			Eventually.await("readiness UP", () -> app.get("/actuator/health/readiness").status() == 200);
			String after = app.get("/actuator/migrations").body();
			assertThat(after).doesNotContain("\"running\"");
			assertThat((String) JsonPath.read(after, "$.status")).isEqualTo("UP_TO_DATE");
			assertThat((String) JsonPath.read(after, "$.lastRun.outcome")).isEqualTo("MIGRATED");
			assertThat((Integer) JsonPath.read(after, "$.lastRun.migrationsExecutedCount")).isEqualTo(3);
			assertThat(app.get("/actuator/health/liveness").status()).isEqualTo(200);
		}
	}

	@Test
	void aFailedMigrationTurnsReadinessDownAndKeepsRunningWhenExitOnFailureIsOff(TestDatabase database)
			throws Exception {
		try (HeldLock held = HeldLock.hold(database);
				WebApplication app = start(database, new Class<?>[0],
						"spring.flyway.locations=classpath:db/background-broken",
						"migrations.background.exit-on-failure=false")) {
			MigrationStatusHolder status = app.context().getBean(MigrationStatusHolder.class);
			AdvisoryLockWaiters.await(database, 1);
			held.release();
			Eventually.await("the background run to end", () -> status.current().lastRun() != null);
			Response readiness = app.get("/actuator/health/readiness");
			assertThat(readiness.status()).as(readiness.body()).isEqualTo(503);
			assertThat((String) JsonPath.read(readiness.body(), "$.status")).isEqualTo("DOWN");
			assertThat((String) JsonPath.read(readiness.body(), "$.components.migrations.details.lastRun"))
				.isEqualTo("FAILED");
			assertThat(app.get("/actuator/health/liveness").status()).isEqualTo(200);
			assertThat(app.context().isActive()).isTrue();
		}
	}

	@Test
	void aFailedMigrationClosesTheApplicationAndExitsWithOne(TestDatabase database) throws Exception {
		try (HeldLock held = HeldLock.hold(database);
				WebApplication app = start(database, new Class<?>[] { RecordedExit.class },
						"spring.flyway.locations=classpath:db/background-broken")) {
			RecordedExit exit = app.context().getBean(RecordedExit.class);
			MigrationStatusHolder status = app.context().getBean(MigrationStatusHolder.class);
			AdvisoryLockWaiters.await(database, 1);
			assertThat(exit.codes).isEmpty();
			held.release();
			Eventually.await("the exit", () -> !exit.codes.isEmpty());
			assertThat(exit.codes).containsExactly(1);
			assertThat(app.context().isActive()).isFalse();
			assertThat(status.current().lastRun().outcome()).isEqualTo(RunOutcome.FAILED);
		}
	}

	@Test
	void aShutdownWaitsForTheMigrationInProgressToEnd(TestDatabase database) throws Exception {
		try (HeldLock held = HeldLock.hold(database);
				WebApplication app = start(database, new Class<?>[] { ClosingSignal.class },
						"spring.flyway.locations=classpath:db/background")) {
			ClosingSignal signal = app.context().getBean(ClosingSignal.class);
			MigrationStatusHolder status = app.context().getBean(MigrationStatusHolder.class);
			AdvisoryLockWaiters.await(database, 1);
			CompletableFuture<Void> close = CompletableFuture.runAsync(app::close);
			assertThat(signal.closing.await(30, TimeUnit.SECONDS)).isTrue();
			held.release();
			close.get(60, TimeUnit.SECONDS);
			// Closed without the wait, the pool would have aborted V2's connection and
			// PostgreSQL rolled it back; V3 would never have run.
			assertThat(currentVersion(database)).isEqualTo("3");
			assertThat(status.current().lastRun().outcome()).isEqualTo(RunOutcome.MIGRATED);
		}
	}

	@Test
	void anOperatorsMigrateShowsItsProgressInAnyMode(TestDatabase database) throws Exception {
		try (HeldLock held = HeldLock.hold(database);
				WebApplication app = start(database, new Class<?>[0], "spring.flyway.locations=classpath:db/background",
						"migrations.mode=validate", "management.endpoint.migrations.access=unrestricted")) {
			CompletableFuture<Response> migrate = CompletableFuture.supplyAsync(() -> app.post("/actuator/migrations",
					"{\"operation\":\"migrate\"}", "admin", WebApplication.ADMIN_PASSWORD));
			AdvisoryLockWaiters.await(database, 1);
			String summary = app.get("/actuator/migrations").body();
			assertThat((String) JsonPath.read(summary, "$.running.operation")).isEqualTo("MIGRATE");
			assertThat((String) JsonPath.read(summary, "$.running.phase")).isEqualTo("APPLYING");
			assertThat((String) JsonPath.read(summary, "$.running.version")).isEqualTo("2");
			assertThat((Integer) JsonPath.read(summary, "$.running.steps")).isEqualTo(3);
			String health = app.get("/actuator/health").body();
			assertThat((String) JsonPath.read(health, "$.components.migrations.details.running.version")).isEqualTo("2");
			held.release();
			Response done = migrate.get(60, TimeUnit.SECONDS);
			assertThat(done.status()).as(done.body()).isEqualTo(200);
			assertThat(app.get("/actuator/migrations").body()).doesNotContain("\"running\"");
		}
	}

	private static WebApplication start(TestDatabase database, Class<?>[] configurations, String... properties) {
		List<String> all = new ArrayList<>(List.of("management.endpoints.web.exposure.include=health,migrations",
				"management.endpoint.health.probes.enabled=true", "management.endpoint.health.show-details=always",
				"management.endpoint.health.group.readiness.include=readinessState,migrations"));
		if (List.of(properties).stream().noneMatch((property) -> property.startsWith("migrations.mode="))) {
			all.add("migrations.mode=background");
		}
		all.addAll(List.of(properties));
		return WebApplication.start(database, configurations, all.toArray(String[]::new));
	}

	private static String currentVersion(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT max(version::int)::text FROM flyway_schema_history WHERE success", String.class);
	}

	/**
	 * The advisory lock V2 of {@code db/background} waits for, held on a connection of
	 * the test's.
	 */
	static final class HeldLock implements AutoCloseable {

		private final Connection connection;

		private boolean held = true;

		private HeldLock(Connection connection) {
			this.connection = connection;
		}

		static HeldLock hold(TestDatabase database) throws Exception {
			Connection connection = database.dataSource().getConnection();
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_advisory_lock(" + TEST_LOCK + ")");
			}
			return new HeldLock(connection);
		}

		void release() throws Exception {
			if (this.held) {
				try (Statement statement = this.connection.createStatement()) {
					statement.execute("SELECT pg_advisory_unlock(" + TEST_LOCK + ")");
				}
				this.held = false;
			}
		}

		@Override
		public void close() throws Exception {
			this.connection.close();
		}

	}

	/**
	 * Replaces the starter's background run with one whose exit is recorded instead of
	 * ending the JVM.
	 */
	@Configuration(proxyBeanMethods = false)
	static class RecordedExit {

		final List<Integer> codes = new CopyOnWriteArrayList<>();

		@Bean
		BackgroundMigration backgroundMigration(MigrationOperations operations) {
			return new BackgroundMigration(operations, true, this.codes::add);
		}

	}

	/**
	 * Says when the application starts closing.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ClosingSignal implements ApplicationListener<ContextClosedEvent> {

		final CountDownLatch closing = new CountDownLatch(1);

		@Override
		public void onApplicationEvent(ContextClosedEvent event) {
			this.closing.countDown();
		}

	}

}
