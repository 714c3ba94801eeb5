package io.apiforge.migrations.health;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaSnapshot;
import io.apiforge.migrations.tenants.Tenant;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health contributor's statuses from real schemas, with and without tenants, and what
 * a check costs.
 */
@WithPostgres
class MigrationsHealthIndicatorTests {

	private final MigrationStatusHolder holder = new MigrationStatusHolder(Clock.systemUTC());

	@Test
	void beforeTheLifecycleRanTheApplicationIsOutOfService(TestDatabase database) {
		assertThat(indicator(database, false).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void anUpToDateSchemaIsUpWithItsVersions(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		Health health = indicator(database, false).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("currentVersion", "2")
			.containsEntry("expectedVersion", "2")
			.containsEntry("pending", 0)
			.containsEntry("failed", 0)
			.containsEntry("state", "UP_TO_DATE");
	}

	@Test
	void pendingMigrationsAreOutOfService(TestDatabase database) {
		migrate(database, "1");
		inspect(database, "classpath:db/basic");
		Health health = indicator(database, false).health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("pending", 1).containsEntry("currentVersion", "1");
	}

	@Test
	void aFailedMigrationIsDown(TestDatabase database) {
		migrate(database, "1");
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (2, '2', 'add price', 'SQL', 'V2__add_price.sql', "
					+ "0, current_user, 1, false)");
		inspect(database, "classpath:db/basic");
		Health health = indicator(database, false).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("failed", 1);
	}

	@Test
	void aFailedLastRunIsDown(TestDatabase database) {
		migrate(database, "2");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		this.holder.recordRun(schema, new MigrationRun(OperationType.MIGRATE, Instant.now(), Instant.now(), RunOutcome.FAILED, "2", "2",
				List.of(), null, null, "the lock timed out"));
		Health health = indicator(database, false).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("lastRun", "FAILED");
	}

	@Test
	void aRefusedRunLeavesHealthUp(TestDatabase database) {
		migrate(database, "2");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		this.holder.recordRun(schema, new MigrationRun(OperationType.ROLLBACK, Instant.now(), Instant.now(),
				RunOutcome.REFUSED, "2", "2", List.of(), null, null, "Rollback to 7 refused, nothing was changed"));
		Health health = indicator(database, false).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastRun", "REFUSED").containsEntry("lastRunOperation", "ROLLBACK");
	}

	@Test
	void aFailedOnDemandBackupLeavesHealthUp(TestDatabase database) {
		migrate(database, "2");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		this.holder.recordRun(schema, new MigrationRun(OperationType.BACKUP, Instant.now(), Instant.now(),
				RunOutcome.FAILED, "2", "2", List.of(), null, null, "pg_dump failed"));
		assertThat(indicator(database, false).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void aFailedRunIsNoLongerDownOnceALaterLookFindsTheSchemaWhereItIsExpected(TestDatabase database) {
		migrate(database, "1");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		Instant failedAt = Instant.now();
		this.holder.recordRun(schema, new MigrationRun(OperationType.MIGRATE, failedAt, failedAt, RunOutcome.FAILED,
				"1", "1", List.of(), null, null, "the lock was lost"));
		MutableClock clock = new MutableClock(failedAt);
		MigrationsHealthIndicator indicator = new MigrationsHealthIndicator(new MigrationStatusRefresher(this.holder,
				database.dataSource(), "flyway_schema_history", Duration.ofSeconds(10), clock), false);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		// Another replica migrates; this one's next refresh sees it.
		migrate(database, "2");
		clock.now = failedAt.plusSeconds(11);
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastRun", "FAILED").containsEntry("state", "UP_TO_DATE");
	}

	@Test
	void aFailedRunStaysDownWhileTheSchemaIsNotWhereItIsExpected(TestDatabase database) {
		migrate(database, "1");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		Instant failedAt = Instant.now();
		this.holder.recordRun(schema, new MigrationRun(OperationType.MIGRATE, failedAt, failedAt, RunOutcome.FAILED,
				"1", "1", List.of(), null, null, "V2 failed"));
		MutableClock clock = new MutableClock(failedAt.plusSeconds(11));
		MigrationsHealthIndicator indicator = new MigrationsHealthIndicator(new MigrationStatusRefresher(this.holder,
				database.dataSource(), "flyway_schema_history", Duration.ofSeconds(10), clock), false);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void aVanishedHistoryTableIsOutOfService(TestDatabase database) {
		migrate(database, "2");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		database.jdbc().execute("DROP TABLE flyway_schema_history");
		MutableClock clock = new MutableClock(schema.inspectedAt().plusSeconds(11));
		Health health = new MigrationsHealthIndicator(new MigrationStatusRefresher(this.holder, database.dataSource(),
				"flyway_schema_history", Duration.ofSeconds(10), clock), false)
			.health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("state", "HISTORY_MISSING");
	}

	@Test
	void aDatabaseThatCannotBeReadCostsOneQueryPerIntervalAndIsReportedStale(TestDatabase database) {
		migrate(database, "2");
		SchemaSnapshot schema = inspect(database, "classpath:db/basic");
		// The database goes away: connections are refused by the driver.
		AtomicInteger attempts = new AtomicInteger();
		DataSource down = new DelegatingDataSource(new org.springframework.jdbc.datasource.DriverManagerDataSource(
				"jdbc:postgresql://127.0.0.1:1/" + database.name() + "?connectTimeout=2", database.username(),
				database.password())) {

			@Override
			public Connection getConnection() throws java.sql.SQLException {
				attempts.incrementAndGet();
				return super.getConnection();
			}

		};
		MutableClock clock = new MutableClock(schema.inspectedAt().plusSeconds(11));
		MigrationsHealthIndicator indicator = new MigrationsHealthIndicator(
				new MigrationStatusRefresher(this.holder, down, "flyway_schema_history", Duration.ofSeconds(10), clock),
				false);
		Health first = indicator.health();
		for (int i = 0; i < 99; i++) {
			indicator.health();
		}
		assertThat(attempts).as("one read for 100 checks within one interval").hasValue(1);
		assertThat(first.getStatus()).as("the schema as last seen").isEqualTo(Status.UP);
		assertThat(first.getDetails()).containsEntry("stale", true).containsKey("refreshError");
		clock.now = clock.now.plusSeconds(10);
		indicator.health();
		assertThat(attempts).as("the next interval reads again").hasValue(2);
	}

	@Test
	void aDatabaseAheadOfTheApplicationIsUpUnlessToldOtherwise(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/ahead").load().migrate();
		inspect(database, "classpath:db/basic");
		assertThat(indicator(database, false).health().getStatus()).isEqualTo(Status.UP);
		assertThat(indicator(database, false).health().getDetails()).containsEntry("state", "AHEAD");
		assertThat(indicator(database, true).health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void aCheckCostsNoQueryWhileTheStatusIsFreshAndOneOnceItIsOld(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		AtomicInteger statements = new AtomicInteger();
		DataSource counting = countingStatements(database.dataSource(), statements);
		Instant inspected = this.holder.current().schema().inspectedAt();
		MutableClock clock = new MutableClock(inspected.plusSeconds(1));
		MigrationsHealthIndicator indicator = new MigrationsHealthIndicator(
				new MigrationStatusRefresher(this.holder, counting, "flyway_schema_history", Duration.ofSeconds(10),
						clock),
				false);
		for (int i = 0; i < 100; i++) {
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		}
		assertThat(statements).as("statements while fresh").hasValue(0);
		clock.now = inspected.plusSeconds(11);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		assertThat(statements).as("statements once stale").hasValue(1);
		for (int i = 0; i < 100; i++) {
			indicator.health();
		}
		assertThat(statements).as("statements while fresh again").hasValue(1);
	}

	@Test
	void tenantsWhereTheApplicationExpectsThemLeaveHealthUp(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		TenantStatuses tenants = tenants(5);
		tenants.record(ended("t_000", TenantState.UP_TO_DATE));
		Health health = indicator(database, tenants).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat((Map<String, Integer>) health.getDetails().get("tenants")).containsEntry("MIGRATED", 4)
			.containsEntry("UP_TO_DATE", 1)
			.containsEntry("FAILED", 0);
	}

	@Test
	void aFailedTenantIsDownLikeTheApplicationsOwnFailure(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		TenantStatuses tenants = tenants(5);
		tenants.record(ended("t_003", TenantState.FAILED));
		tenants.skipped("t_004", "not started: tenant t_003 failed", Instant.now());
		Health health = indicator(database, tenants).health();
		assertThat(health.getStatus()).as("a failure outweighs the tenants not there yet").isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "UP_TO_DATE");
		assertThat((Map<String, Integer>) health.getDetails().get("tenants")).containsEntry("FAILED", 1)
			.containsEntry("SKIPPED", 1);
	}

	@Test
	void tenantsNotThereYetAreOutOfService(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		for (TenantState state : List.of(TenantState.PENDING, TenantState.MIGRATING, TenantState.SKIPPED)) {
			TenantStatuses tenants = tenants(3);
			switch (state) {
				case PENDING -> tenants.listed(List.of(Tenant.ofSchema("new")));
				case MIGRATING -> tenants.started("t_001", Instant.now());
				default -> tenants.skipped("t_001", "not started: canary tenant t_000 failed", Instant.now());
			}
			assertThat(indicator(database, tenants).health().getStatus()).as(state.name())
				.isEqualTo(Status.OUT_OF_SERVICE);
		}
	}

	@Test
	void theApplicationsOwnStateStillCountsWithTenants(TestDatabase database) {
		migrate(database, "1");
		inspect(database, "classpath:db/basic");
		assertThat(indicator(database, tenants(3)).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	@Test
	void tenantsNotListedYetDoNotCount(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		Health health = indicator(database, new TenantStatuses()).health();
		assertThat(health.getStatus()).as("validate mode lists no tenant, and stays ready").isEqualTo(Status.UP);
		assertThat((Map<String, Integer>) health.getDetails().get("tenants"))
			.containsOnlyKeys(Arrays.stream(TenantState.values()).map(TenantState::name).toList())
			.allSatisfy((state, count) -> assertThat(count).isZero());
	}

	@Test
	void theTenantsDetailHoldsCountsPerStateWhateverTheNumberOfTenants(TestDatabase database) {
		migrate(database, "2");
		inspect(database, "classpath:db/basic");
		// The details as JSON would render them: the same six entries for 5 tenants and 50.
		String few = String.valueOf(indicator(database, tenants(5)).health().getDetails().get("tenants"));
		String many = String.valueOf(indicator(database, tenants(50)).health().getDetails().get("tenants"));
		assertThat(few).isEqualTo("{PENDING=0, MIGRATING=0, MIGRATED=5, UP_TO_DATE=0, FAILED=0, SKIPPED=0}");
		assertThat(many).isEqualTo("{PENDING=0, MIGRATING=0, MIGRATED=50, UP_TO_DATE=0, FAILED=0, SKIPPED=0}");
	}

	/**
	 * Tenants {@code t_000} upwards, each migrated.
	 */
	private static TenantStatuses tenants(int count) {
		TenantStatuses tenants = new TenantStatuses();
		for (int i = 0; i < count; i++) {
			tenants.record(ended(String.format("t_%03d", i), TenantState.MIGRATED));
		}
		return tenants;
	}

	private static TenantStatus ended(String tenant, TenantState state) {
		Instant now = Instant.now();
		return new TenantStatus(tenant, state, "3", "3", 0, (state == TenantState.MIGRATED) ? 3 : 0, now, now, null,
				null, (state == TenantState.FAILED) ? "Migration V2__seed_item.sql failed" : null);
	}

	private MigrationsHealthIndicator indicator(TestDatabase database, TenantStatuses tenants) {
		return new MigrationsHealthIndicator(new MigrationStatusRefresher(this.holder, database.dataSource(),
				"flyway_schema_history", Duration.ofMinutes(1), Clock.systemUTC()), false, tenants);
	}

	private MigrationsHealthIndicator indicator(TestDatabase database, boolean failWhenAhead) {
		return new MigrationsHealthIndicator(new MigrationStatusRefresher(this.holder, database.dataSource(),
				"flyway_schema_history", Duration.ofMinutes(1), Clock.systemUTC()), failWhenAhead);
	}

	private SchemaSnapshot inspect(TestDatabase database, String location) {
		SchemaSnapshot snapshot = SchemaSnapshot
			.of(Flyway.configure().dataSource(database.dataSource()).locations(location).load().info(), Instant.now());
		this.holder.recordSchema(snapshot);
		return snapshot;
	}

	private static void migrate(TestDatabase database, String target) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target(target).load().migrate();
	}

	/**
	 * The real data source, counting the statements created on its connections.
	 */
	static DataSource countingStatements(DataSource dataSource, AtomicInteger statements) {
		return new DelegatingDataSource(dataSource) {

			@Override
			public Connection getConnection() throws java.sql.SQLException {
				Connection connection = super.getConnection();
				return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
						new Class<?>[] { Connection.class }, (proxy, method, arguments) -> {
							if (method.getName().equals("createStatement") || method.getName().startsWith("prepare")) {
								statements.incrementAndGet();
							}
							try {
								return method.invoke(connection, arguments);
							}
							catch (java.lang.reflect.InvocationTargetException ex) {
								throw ex.getCause();
							}
						});
			}

		};
	}

	static final class MutableClock extends Clock {

		volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
