package io.apiforge.migrations.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.autoconfigure.MigrationsTenantsAutoConfiguration;
import io.apiforge.migrations.tenants.TenantFanOutResult;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.BeforeInfoCallback;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fan-out scans the tenant locations once ({@link TenantScripts}): every tenant's
 * Flyway gets the same scripts, each tenant still migrates from its own history, and the
 * next fan-out scans again.
 */
@WithPostgres
class TenantScriptsIntegrationTests {

	@TempDir
	Path scripts;

	@Test
	void tenantsAtDifferentVersionsShareOneScanPerFanOutAndEachMigratesFromItsOwnHistory(TestDatabase database) {
		tenantFlyway(database, "t_001").target("1").load().migrate();
		tenantFlyway(database, "t_002").target("2").load().migrate();
		ProvidersSeen seen = new ProvidersSeen();
		runner(database, "classpath:db/tenant").withBean("providersSeen", Callback.class, () -> seen)
			.withPropertyValues("migrations.tenants.parallelism=2", "spring.datasource.hikari.maximum-pool-size=5")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TenantStatuses statuses = context.getBean(TenantStatuses.class);
				assertThat(List.of("t_000", "t_001", "t_002")).allSatisfy(
						(tenant) -> assertThat(statuses.get(tenant).currentVersion()).as(tenant).isEqualTo("3"));
				assertThat(statuses.get("t_000").executed()).isEqualTo(3);
				assertThat(statuses.get("t_001").executed()).isEqualTo(2);
				assertThat(statuses.get("t_002").executed()).isEqualTo(1);
				List<ResourceProvider> first = seen.drain();
				// Each tenant is inspected before its lock (an unchanged history spares the
				// inspection under the lock, and the rows its migration added tell where it
				// stands after it).
				assertThat(first).as("every inspection of every tenant").hasSizeGreaterThanOrEqualTo(3);
				assertThat(distinct(first)).as("one scan for the whole fan-out").hasSize(1).doesNotContainNull();

				TenantFanOutResult again = context.getBean(TenantMigrations.class).migrateAll();
				assertThat(again.inState(TenantState.UP_TO_DATE)).hasSize(3);
				List<ResourceProvider> second = seen.drain();
				assertThat(distinct(second)).as("one scan for the next fan-out, a new one").hasSize(1)
					.doesNotContainAnyElementsOf(first);
			});
		assertThat(appliedVersions(database, "t_001")).containsExactly("1", "2", "3");
		assertThat(appliedVersions(database, "t_002")).containsExactly("1", "2", "3");
	}

	@Test
	void aScriptAddedOrChangedBetweenTwoFanOutsIsSeenByTheNext(TestDatabase database) throws IOException {
		write("V1__create_item.sql", "CREATE TABLE item (id int PRIMARY KEY);");
		write("V2__add_name.sql", "ALTER TABLE item ADD COLUMN name text;");
		runner(database, "filesystem:" + this.scripts).run((context) -> {
			assertThat(context).hasNotFailed();
			TenantMigrations migrations = context.getBean(TenantMigrations.class);
			assertThat(context.getBean(TenantStatuses.class).get("t_000").currentVersion()).isEqualTo("2");

			write("V3__add_note.sql", "ALTER TABLE item ADD COLUMN note text;");
			TenantFanOutResult added = migrations.migrateAll();
			assertThat(added.tenants()).extracting(TenantStatus::state)
				.containsOnly(TenantState.MIGRATED)
				.hasSize(3);
			assertThat(added.tenants()).extracting(TenantStatus::currentVersion).containsOnly("3");

			write("V1__create_item.sql", "CREATE TABLE item (id bigint PRIMARY KEY);");
			write("V4__add_price.sql", "ALTER TABLE item ADD COLUMN price numeric;");
			TenantFanOutResult changed = migrations.migrateAll();
			assertThat(changed.failed()).as("V1 changed: the first tenant's validation refuses it, the fan-out stops")
				.hasSize(1)
				.allSatisfy((failed) -> assertThat(failed.error()).contains("do not match").contains("checksum"));
		});
		assertThat(appliedVersions(database, "t_000")).containsExactly("1", "2", "3");
	}

	private void write(String name, String sql) {
		try {
			Files.writeString(this.scripts.resolve(name), sql);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ApplicationContextRunner runner(TestDatabase database, String tenantLocation) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class))
			.withPropertyValues("migrations.tenants.schemas=t_000,t_001,t_002",
					"migrations.tenants.locations=" + tenantLocation);
	}

	private static org.flywaydb.core.api.configuration.FluentConfiguration tenantFlyway(TestDatabase database,
			String tenant) {
		return Flyway.configure()
			.dataSource(database.dataSource())
			.schemas(tenant)
			.defaultSchema(tenant)
			.locations("classpath:db/tenant");
	}

	private static List<String> appliedVersions(TestDatabase database, String tenant) {
		return database.jdbc()
			.queryForList("SELECT version FROM " + tenant
					+ ".flyway_schema_history WHERE success AND type <> 'SCHEMA' ORDER BY installed_rank", String.class);
	}

	private static Set<ResourceProvider> distinct(List<ResourceProvider> providers) {
		Set<ResourceProvider> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
		distinct.addAll(providers);
		return distinct;
	}

	/**
	 * A Flyway callback, carried to every tenant's Flyway like a user's: the resource
	 * provider of each tenant's inspection.
	 */
	static final class ProvidersSeen extends BeforeInfoCallback {

		private final List<ResourceProvider> seen = new ArrayList<>();

		ProvidersSeen() {
			super("providersSeen");
		}

		@Override
		protected synchronized void beforeInfo(Context context) {
			String schema = context.getConfiguration().getDefaultSchema();
			if (schema != null && schema.startsWith("t_")) {
				this.seen.add(context.getConfiguration().getResourceProvider());
			}
		}

		synchronized List<ResourceProvider> drain() {
			List<ResourceProvider> drained = new ArrayList<>(this.seen);
			this.seen.clear();
			return drained;
		}

	}

}
