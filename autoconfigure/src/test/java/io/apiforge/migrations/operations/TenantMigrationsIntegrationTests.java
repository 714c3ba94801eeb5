package io.apiforge.migrations.operations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.autoconfigure.MigrationsTenantsAutoConfiguration;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.tenants.Tenant;
import io.apiforge.migrations.tenants.TenantFanOutResult;
import io.apiforge.migrations.tenants.TenantMigrationException;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Schema tenants against a real PostgreSQL: a fan-out of many tenants, its failure
 * policies, canaries, two instances at once, a resumed fan-out, onboarding at run time
 * and a tenant's own backup.
 */
@WithPostgres
class TenantMigrationsIntegrationTests {

	/** The tenant migrations in classpath:db/tenant. */
	private static final int TENANT_MIGRATIONS = 3;

	/**
	 * Tenants in the fan-out test: enough for four at once to interleave; the 200-tenant
	 * scale is measured by the tenants benchmark, not here (the suite's time).
	 */
	private static final int TENANTS = 50;

	@Test
	void fiftySchemaTenantsMigrateFourAtOnceEachIntoItsOwnHistory(TestDatabase database) {
		List<String> tenants = names("t_", TENANTS);
		runner(database, tenants).withPropertyValues("migrations.tenants.parallelism=4",
				"spring.datasource.hikari.maximum-pool-size=10")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TenantStatuses statuses = context.getBean(TenantStatuses.class);
				assertThat(statuses.counts()).containsEntry(TenantState.MIGRATED, TENANTS);
				assertThat(statuses.get("t_042").currentVersion()).isEqualTo("3");
				assertThat(statuses.get("t_042").executed()).isEqualTo(TENANT_MIGRATIONS);
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().executed())
					.as("the application's own status holds its own run only")
					.extracting("script")
					.containsExactly("V1__create_items.sql", "V2__add_price.sql");
			});
		assertThat(appliedPerTenant(database, tenants)).hasSize(TENANTS)
			.allSatisfy((tenant, applied) -> assertThat(applied).isEqualTo(TENANT_MIGRATIONS));
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM public.flyway_schema_history", Integer.class))
			.as("the application's history holds its own migrations only")
			.isEqualTo(2);
	}

	@Test
	void aBrokenTenantStopsTheFanOutAndIsNamedWithPostgresError(TestDatabase database) {
		List<String> tenants = names("t_", 10);
		breakTenant(database, "t_004");
		runner(database, tenants).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(TenantMigrationException.class)
				.hasMessageContaining("1 of 10 tenant(s) failed and 5 were not started")
				.hasMessageContaining("t_004: ")
				.hasMessageContaining("duplicate key value violates unique constraint");
		});
		Map<String, Integer> applied = appliedPerTenant(database, tenants);
		assertThat(applied).containsEntry("t_000", 3).containsEntry("t_003", 3).containsEntry("t_004", 1);
		assertThat(names("t_", 10).subList(5, 10)).as("not started, still pending")
			.allSatisfy((tenant) -> assertThat(applied).doesNotContainKey(tenant));
	}

	@Test
	void withContinueEveryOtherTenantFinishes(TestDatabase database) {
		List<String> tenants = names("t_", 10);
		breakTenant(database, "t_004");
		runner(database, tenants).withPropertyValues("migrations.tenants.on-failure=continue").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("1 of 10 tenant(s) failed:")
				.hasMessageContaining("t_004: ");
		});
		Map<String, Integer> applied = appliedPerTenant(database, tenants);
		assertThat(applied).hasSize(10).containsEntry("t_004", 1);
		tenants.stream()
			.filter((tenant) -> !tenant.equals("t_004"))
			.forEach((tenant) -> assertThat(applied).containsEntry(tenant, TENANT_MIGRATIONS));
	}

	@Test
	void aCanaryFailureMigratesNoOtherTenant(TestDatabase database) {
		List<String> tenants = names("t_", 6);
		breakTenant(database, "t_005");
		runner(database, tenants)
			.withPropertyValues("migrations.tenants.canary=t_005", "migrations.tenants.on-failure=continue",
					"migrations.tenants.parallelism=1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("1 of 6 tenant(s) failed and 5 were not started")
				.hasMessageContaining("t_005: "));
		assertThat(appliedPerTenant(database, tenants)).containsOnlyKeys("t_005").containsEntry("t_005", 1);
	}

	@Test
	void aStoppedFanOutResumesWithTheTenantsStillPending(TestDatabase database) {
		List<String> tenants = names("t_", 8);
		breakTenant(database, "t_002");
		runner(database, tenants).run((context) -> assertThat(context).hasFailed());
		Map<String, String> before = installedRanks(database, List.of("t_000", "t_001"));
		// The fix: the row the broken tenant's V2 collides with is gone.
		database.jdbc().update("DELETE FROM t_002.item");
		runner(database, tenants).run((context) -> {
			assertThat(context).hasNotFailed();
			TenantStatuses statuses = context.getBean(TenantStatuses.class);
			assertThat(statuses.get("t_000").state()).isEqualTo(TenantState.UP_TO_DATE);
			assertThat(statuses.get("t_001").state()).isEqualTo(TenantState.UP_TO_DATE);
			assertThat(statuses.get("t_002").state()).isEqualTo(TenantState.MIGRATED);
			assertThat(statuses.get("t_002").executed()).isEqualTo(2);
			assertThat(statuses.get("t_007").state()).isEqualTo(TenantState.MIGRATED);
		});
		assertThat(appliedPerTenant(database, tenants)).hasSize(8)
			.allSatisfy((tenant, applied) -> assertThat(applied).isEqualTo(TENANT_MIGRATIONS));
		assertThat(installedRanks(database, List.of("t_000", "t_001"))).as("migrated once, not again")
			.isEqualTo(before);
	}

	@Test
	void twoInstancesFanningOutAtOnceMigrateEveryTenantOnce(TestDatabase database) throws Exception {
		List<String> tenants = names("t_", 20);
		ApplicationContextRunner runner = runner(database, tenants).withPropertyValues("migrations.mode=validate",
				"migrations.tenants.parallelism=2", "spring.datasource.hikari.maximum-pool-size=5",
				"migrations.lock.retry-interval=10ms");
		List<TenantFanOutResult> results = new ArrayList<>();
		runner.run((first) -> runner.run((second) -> {
			CountDownLatch ready = new CountDownLatch(2);
			CompletableFuture<TenantFanOutResult> one = CompletableFuture.supplyAsync(() -> fanOut(first, ready));
			CompletableFuture<TenantFanOutResult> two = CompletableFuture.supplyAsync(() -> fanOut(second, ready));
			results.add(one.get(5, TimeUnit.MINUTES));
			results.add(two.get(5, TimeUnit.MINUTES));
		}));
		assertThat(appliedPerTenant(database, tenants)).hasSize(20)
			.allSatisfy((tenant, applied) -> assertThat(applied).isEqualTo(TENANT_MIGRATIONS));
		long migrated = results.stream().mapToLong((result) -> result.inState(TenantState.MIGRATED).size()).sum();
		long upToDate = results.stream().mapToLong((result) -> result.inState(TenantState.UP_TO_DATE).size()).sum();
		assertThat(migrated).as("each tenant migrated by one instance").isEqualTo(20);
		assertThat(upToDate).as("and found up to date by the other").isEqualTo(20);
	}

	@Test
	void aTenantOnboardedAtRunTimeIsMigratedInItsQuotedSchema(TestDatabase database) {
		runner(database, List.of("t_000")).run((context) -> {
			assertThat(context).hasNotFailed();
			TenantMigrations migrations = context.getBean(TenantMigrations.class);
			TenantStatus onboarded = migrations.migrate("Tenant-New");
			assertThat(onboarded.state()).isEqualTo(TenantState.MIGRATED);
			assertThat(onboarded.currentVersion()).isEqualTo("3");
			assertThat(context.getBean(TenantStatuses.class).get("Tenant-New")).isEqualTo(onboarded);
			assertThat(migrations.migrate("Tenant-New").state()).isEqualTo(TenantState.UP_TO_DATE);
			assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
				.as("the application's own status is untouched")
				.isEqualTo(RunOutcome.MIGRATED);
		});
		assertThat(appliedPerTenant(database, List.of("Tenant-New"))).containsEntry("Tenant-New", TENANT_MIGRATIONS);
	}

	@Test
	void aFailedOnboardingIsThrownAndRecorded(TestDatabase database) {
		breakTenant(database, "Broken-One");
		runner(database, List.of("t_000")).run((context) -> {
			assertThatExceptionOfType(TenantMigrationException.class)
				.isThrownBy(() -> context.getBean(TenantMigrations.class).migrate("Broken-One"))
				.withMessageContaining("Tenant Broken-One was not migrated")
				.withMessageContaining("duplicate key value");
			assertThat(context.getBean(TenantStatuses.class).get("Broken-One").state()).isEqualTo(TenantState.FAILED);
		});
	}

	@Test
	void eachTenantHasALockOfItsOwn(TestDatabase database) {
		runner(database, List.of("t_000")).run((context) -> {
			TenantMigrations migrations = context.getBean(TenantMigrations.class);
			String one = LockedRun.lockName(migrations.flywayFor(Tenant.ofSchema("a")).getConfiguration());
			String other = LockedRun.lockName(migrations.flywayFor(Tenant.ofSchema("b")).getConfiguration());
			String application = LockedRun.lockName(context.getBean(Flyway.class).getConfiguration());
			assertThat(one).isEqualTo("a.flyway_schema_history");
			assertThat(Set.of(one, other, application)).hasSize(3);
		});
	}

	@Test
	void aParallelismThePoolCannotServeIsRefusedAtStartUp(TestDatabase database) {
		runner(database, names("t_", 4)).withPropertyValues("migrations.tenants.parallelism=4")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MigrationsException.class)
					.hasMessageContaining("migrations.tenants.parallelism=4")
					.hasMessageContaining("needs 8, and the pool has 3")
					.satisfies((failure) -> assertThat(((MigrationsException) failure).getAction())
						.contains("Set migrations.tenants.parallelism to 1 or less"));
			});
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.as("nothing migrated").isEmpty();
	}

	@Test
	void aTenantsBackupHoldsItsOwnSchemaOnly(TestDatabase database, @TempDir Path backups) throws IOException {
		for (String tenant : List.of("tenant_alpha", "tenant_beta")) {
			tenantFlyway(database, tenant).target("1").load().migrate();
		}
		runner(database, List.of("tenant_alpha", "tenant_beta"))
			.withPropertyValues("migrations.backup.strategy=jdbc", "migrations.backup.directory=" + backups)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TenantStatus alpha = context.getBean(TenantStatuses.class).get("tenant_alpha");
				assertThat(alpha.state()).isEqualTo(TenantState.MIGRATED);
				assertThat(alpha.backup()).isNotNull();
				Path file = Path.of(alpha.backup().location());
				assertThat(file).startsWith(backups.resolve("tenants").resolve("tenant_alpha"));
				String script = gunzip(file);
				assertThat(script).contains("tenant_alpha").doesNotContain("tenant_beta");
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastBackup())
					.as("the application's last backup is not a tenant's")
					.satisfiesAnyOf((backup) -> assertThat(backup).isNull(),
							(backup) -> assertThat(backup.location()).doesNotContain("tenants"));
			});
	}

	private static TenantFanOutResult fanOut(ConfigurableApplicationContext context, CountDownLatch ready) {
		ready.countDown();
		try {
			ready.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return context.getBean(TenantMigrations.class).migrateAll();
	}

	private static ApplicationContextRunner runner(TestDatabase database, List<String> tenants) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class))
			.withPropertyValues("migrations.tenants.schemas=" + String.join(",", tenants));
	}

	private static List<String> names(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + String.format("%03d", i)).toList();
	}

	/**
	 * Migrate a tenant to V1 and add the row its V2 inserts, so that V2 fails with
	 * PostgreSQL's duplicate key error.
	 */
	private static void breakTenant(TestDatabase database, String tenant) {
		tenantFlyway(database, tenant).target("1").load().migrate();
		database.jdbc().update("INSERT INTO \"" + tenant + "\".item VALUES (1, 'in the way')");
	}

	private static org.flywaydb.core.api.configuration.FluentConfiguration tenantFlyway(TestDatabase database,
			String tenant) {
		return Flyway.configure()
			.dataSource(database.dataSource())
			.schemas(tenant)
			.defaultSchema(tenant)
			.locations("classpath:db/tenant");
	}

	/**
	 * The successful migrations in each tenant's own history table, of the tenants that
	 * have one.
	 */
	private static Map<String, Integer> appliedPerTenant(TestDatabase database, List<String> tenants) {
		Set<String> withHistory = new HashSet<>(database.jdbc()
			.queryForList("SELECT table_schema FROM information_schema.tables WHERE table_name = 'flyway_schema_history'",
					String.class));
		List<String> present = tenants.stream().filter(withHistory::contains).toList();
		if (present.isEmpty()) {
			return Map.of();
		}
		String query = present.stream()
			.map((tenant) -> "SELECT '" + tenant + "' AS tenant, count(*) AS applied FROM \"" + tenant
					+ "\".flyway_schema_history WHERE success AND type <> 'SCHEMA'")
			.collect(Collectors.joining(" UNION ALL "));
		return database.jdbc()
			.queryForList(query)
			.stream()
			.collect(Collectors.toMap((row) -> (String) row.get("tenant"),
					(row) -> ((Number) row.get("applied")).intValue()));
	}

	private static Map<String, String> installedRanks(TestDatabase database, List<String> tenants) {
		return tenants.stream()
			.collect(Collectors.toMap((tenant) -> tenant, (tenant) -> database.jdbc()
				.queryForObject("SELECT string_agg(installed_rank || ' ' || installed_on, ', ' ORDER BY installed_rank) FROM \""
						+ tenant + "\".flyway_schema_history", String.class)));
	}

	private static String gunzip(Path file) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
