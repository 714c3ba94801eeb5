package io.apiforge.migrations.operations;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.apiforge.migrations.autoconfigure.MigrationsTenantsAutoConfiguration;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.pgdump.BackupRestorer;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.tenants.TenantFanOutResult;
import io.apiforge.migrations.tenants.TenantMigrationException;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Database tenants ({@code migrations.tenants.databases}) against a real PostgreSQL: each
 * tenant a database of its own on the test server, reached as a role of its own with a
 * password, so that every step of a tenant's run (Flyway, the lock, the backup) is seen
 * to use the tenant's database and never the application's.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class DatabaseTenantsIntegrationTests {

	/** The tenant migrations in classpath:db/tenant. */
	private static final int TENANT_MIGRATIONS = 3;

	@Test
	void eachDatabaseTenantIsMigratedInItsOwnDatabaseAndNothingInTheApplicationsOne(TestDatabase database,
			CapturedOutput output) {
		try (TenantDatabases tenants = TenantDatabases.create(database, "acme", "globex")) {
			// Four at once with the application's pool of 3: the tenants' runs use their own pools.
			runner(database, tenants).withPropertyValues("migrations.tenants.parallelism=4").run((context) -> {
				assertThat(context).hasNotFailed();
				TenantStatuses statuses = context.getBean(TenantStatuses.class);
				assertThat(statuses.counts()).containsEntry(TenantState.MIGRATED, 2);
				assertThat(statuses.get("acme").currentVersion()).isEqualTo("3");
			});
			for (String tenant : List.of("acme", "globex")) {
				JdbcTemplate jdbc = tenants.jdbc(tenant);
				assertThat(jdbc.queryForObject(
						"SELECT count(*) FROM public.flyway_schema_history WHERE success AND type <> 'SCHEMA'",
						Integer.class))
					.as("%s's own history", tenant)
					.isEqualTo(TENANT_MIGRATIONS);
				assertThat(jdbc.queryForObject("SELECT tableowner FROM pg_tables WHERE tablename = 'item'",
						String.class))
					.as("created over %s's own connection, as its own role", tenant)
					.isEqualTo(tenants.role());
				assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_tables WHERE tablename = 'items'", Integer.class))
					.as("none of the application's tables in %s", tenant)
					.isZero();
			}
			assertThat(database.jdbc()
				.queryForList("SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
						String.class))
				.as("the application's database holds its own tables only")
				.contains("items")
				.doesNotContain("item");
			assertThat(database.jdbc().queryForObject("SELECT count(*) FROM flyway_schema_history", Integer.class))
				.isEqualTo(2);
			assertThat(output).contains("Migrated flyway_schema_history of tenant acme")
				.doesNotContain(tenants.password());
		}
	}

	@Test
	void aBrokenDatabaseTenantIsNamedWithoutItsPassword(TestDatabase database, CapturedOutput output) {
		try (TenantDatabases tenants = TenantDatabases.create(database, "acme", "globex")) {
			tenants.flyway("globex").target("1").load().migrate();
			tenants.jdbc("globex").update("INSERT INTO item VALUES (1, 'in the way')");
			runner(database, tenants).withPropertyValues("migrations.tenants.on-failure=continue").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(TenantMigrationException.class)
					.hasMessageContaining("1 of 2 tenant(s) failed:")
					.hasMessageContaining("globex: ")
					.hasMessageContaining("duplicate key value violates unique constraint")
					.satisfies((failure) -> assertThat(failure.getMessage()).doesNotContain(tenants.password()));
			});
			assertThat(appliedIn(tenants.jdbc("acme"))).isEqualTo(TENANT_MIGRATIONS);
			assertThat(appliedIn(tenants.jdbc("globex"))).isEqualTo(1);
			assertThat(output).contains("Migration of flyway_schema_history of tenant globex")
				.doesNotContain(tenants.password());
		}
	}

	@Test
	void eachDatabaseTenantsLockIsTakenInItsOwnDatabase(TestDatabase database) throws Exception {
		try (TenantDatabases tenants = TenantDatabases.create(database, "acme", "globex")) {
			ApplicationContextRunner runner = runner(database, tenants).withPropertyValues("migrations.mode=validate",
					"migrations.tenants.parallelism=2", "migrations.lock.retry-interval=10ms");
			runner.run((context) -> {
				TenantMigrations migrations = context.getBean(TenantMigrations.class);
				TenantFanOutResult result;
				// Another instance holds acme's lock, in acme's database, under the name both
				// tenants' locks have: their history table.
				try (Connection holder = tenants.dataSource("acme").getConnection()) {
					lock(holder, "flyway_schema_history");
					CompletableFuture<TenantFanOutResult> fanOut = CompletableFuture.supplyAsync(migrations::migrateAll);
					AdvisoryLockWaiters.await(tenants.database("acme"), 1);
					Eventually.await("globex migrated while acme waits",
							() -> migrations.statuses().get("globex").state() == TenantState.MIGRATED);
					assertThat(migrations.statuses().get("acme").state()).isEqualTo(TenantState.MIGRATING);
					assertThat(AdvisoryLockWaiters.count(database)).as("no waiter in the application's database")
						.isZero();
					assertThat(AdvisoryLockWaiters.count(tenants.database("globex"))).isZero();
					assertThat(appliedIn(tenants.jdbc("acme"))).as("acme untouched while its lock is held").isZero();
					holder.close();
					result = fanOut.get(2, TimeUnit.MINUTES);
				}
				assertThat(result.isSuccess()).isTrue();
				assertThat(migrations.statuses().get("acme").state()).isEqualTo(TenantState.MIGRATED);
			});
			assertThat(appliedIn(tenants.jdbc("acme"))).isEqualTo(TENANT_MIGRATIONS);
		}
	}

	@Test
	void aDatabaseTenantsPgDumpBackupHoldsItsDatabaseAndRestores(TestDatabase database, @TempDir Path backups) {
		try (TenantDatabases tenants = TenantDatabases.create(database, "acme", "globex")) {
			tenants.flyway("acme").target("1").load().migrate();
			tenants.jdbc("acme").update("INSERT INTO item VALUES (5, 'kept')");
			List<BackupRecord> taken = new ArrayList<>();
			runner(database, tenants)
				.withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.directory=" + backups)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					TenantStatus acme = context.getBean(TenantStatuses.class).get("acme");
					assertThat(acme.state()).isEqualTo(TenantState.MIGRATED);
					assertThat(acme.backup()).isNotNull();
					taken.add(acme.backup());
					assertThat(context.getBean(TenantStatuses.class).get("globex").backup())
						.as("an empty database has nothing to lose")
						.isNull();
				});
			BackupRecord backup = taken.get(0);
			Path file = Path.of(backup.location());
			assertThat(backup.strategy()).isEqualTo("pg-dump");
			assertThat(file).startsWith(backups.resolve("tenants").resolve("acme"));
			assertThat(file.getFileName().toString()).as("named by the tenant's database")
				.startsWith(tenants.database("acme").name() + "@")
				.endsWith("_v1_to_v3.dump");
			try (TestDatabase restored = TestDatabase.create(database.server())) {
				new BackupRestorer(null, Duration.ofMinutes(1)).restore(file, restored.dataSource());
				assertThat(restored.jdbc().queryForList("SELECT name FROM item", String.class)).containsExactly("kept");
				assertThat(restored.jdbc().queryForList("SELECT version FROM flyway_schema_history", String.class))
					.containsExactly("1");
				assertThat(restored.jdbc()
					.queryForObject("SELECT count(*) FROM pg_tables WHERE tablename = 'items'", Integer.class))
					.as("none of the application's tables")
					.isZero();
			}
		}
	}

	private static ApplicationContextRunner runner(TestDatabase database, TenantDatabases tenants) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class))
			.withPropertyValues(tenants.properties());
	}

	private static int appliedIn(JdbcTemplate jdbc) {
		Integer tables = jdbc.queryForObject("SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'",
				Integer.class);
		if (tables == null || tables == 0) {
			return 0;
		}
		Integer applied = jdbc.queryForObject(
				"SELECT count(*) FROM flyway_schema_history WHERE success AND type <> 'SCHEMA'", Integer.class);
		return (applied != null) ? applied : 0;
	}

	private static void lock(Connection connection, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
			statement.setLong(1, PostgresAdvisoryLockProvider.keyFor(name));
			statement.execute();
		}
	}

	/**
	 * Tenant databases on the test server, owned by a login role with a password that
	 * the tenants connect as; dropped, role included, on close.
	 */
	private static final class TenantDatabases implements AutoCloseable {

		private final TestDatabase application;

		private final String role;

		private final String password;

		private final Map<String, TestDatabase> databases = new LinkedHashMap<>();

		private TenantDatabases(TestDatabase application, String role, String password) {
			this.application = application;
			this.role = role;
			this.password = password;
		}

		static TenantDatabases create(TestDatabase application, String... names) {
			String role = "tenant_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
			TenantDatabases tenants = new TenantDatabases(application, role, "pw-" + UUID.randomUUID());
			application.jdbc().execute("CREATE ROLE " + role + " LOGIN CREATEDB PASSWORD '" + tenants.password + "'");
			// The test's admin (not a superuser) may give the role a database once it is a member.
			application.jdbc().execute("GRANT " + role + " TO CURRENT_USER");
			for (String name : names) {
				TestDatabase database = TestDatabase.create(application.server());
				application.jdbc().execute("ALTER DATABASE " + database.name() + " OWNER TO " + role);
				database.jdbc().execute("GRANT ALL ON SCHEMA public TO " + role);
				tenants.databases.put(name, database);
			}
			return tenants;
		}

		String role() {
			return this.role;
		}

		String password() {
			return this.password;
		}

		TestDatabase database(String tenant) {
			return this.databases.get(tenant);
		}

		/** A data source on the tenant's database, as the tenant's role. */
		DataSource dataSource(String tenant) {
			return new SimpleDriverDataSource(new Driver(), database(tenant).jdbcUrl(), this.role, this.password);
		}

		JdbcTemplate jdbc(String tenant) {
			return new JdbcTemplate(dataSource(tenant));
		}

		/** Flyway on the tenant's database with the tenant migrations, as the tenant's role. */
		FluentConfiguration flyway(String tenant) {
			return Flyway.configure().dataSource(dataSource(tenant)).locations("classpath:db/tenant");
		}

		String[] properties() {
			List<String> properties = new ArrayList<>();
			this.databases.forEach((tenant, database) -> {
				String prefix = "migrations.tenants.databases." + tenant;
				properties.add(prefix + ".url=" + database.jdbcUrl());
				properties.add(prefix + ".username=" + this.role);
				properties.add(prefix + ".password=" + this.password);
			});
			return properties.toArray(String[]::new);
		}

		@Override
		public void close() {
			this.databases.values().forEach(TestDatabase::close);
			this.application.jdbc().execute("DROP ROLE IF EXISTS " + this.role);
		}

	}

}
