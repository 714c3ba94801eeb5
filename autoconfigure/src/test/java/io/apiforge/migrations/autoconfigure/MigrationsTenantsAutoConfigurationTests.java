package io.apiforge.migrations.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.operations.TenantMigrations;
import io.apiforge.migrations.tenants.DataSourceTenantSource;
import io.apiforge.migrations.tenants.FixedTenantSource;
import io.apiforge.migrations.tenants.QueryTenantSource;
import io.apiforge.migrations.tenants.Tenant;
import io.apiforge.migrations.tenants.TenantSource;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of {@link MigrationsTenantsAutoConfiguration}: only when tenants are configured,
 * each bean backing off for a user's own, and properties that cannot work refused.
 */
@WithPostgres
class MigrationsTenantsAutoConfigurationTests {

	private static ApplicationContextRunner runner(TestDatabase database) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class))
			.withPropertyValues("migrations.mode=validate");
	}

	@Test
	void backsOffWithoutTenants(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(TenantMigrations.class)
			.doesNotHaveBean(TenantSource.class)
			.doesNotHaveBean(TenantStatuses.class));
	}

	@Test
	void aFixedListOfSchemasTurnsTenantsOn(TestDatabase database) {
		runner(database).withPropertyValues("migrations.tenants.schemas=a,Mixed-Case").run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(TenantMigrations.class);
			assertThat(context.getBean(TenantSource.class)).isInstanceOf(FixedTenantSource.class);
			assertThat(context.getBean(TenantSource.class).tenants()).extracting(Tenant::schema)
				.containsExactly("a", "Mixed-Case");
		});
	}

	@Test
	void aQueryListsTheTenantsFromTheDatabase(TestDatabase database) {
		database.jdbc().execute("CREATE TABLE customers (schema_name text, active boolean)");
		database.jdbc().update("INSERT INTO customers VALUES ('acme', true), ('gone', false), ('Big-Co', true)");
		runner(database)
			.withPropertyValues("migrations.tenants.query=SELECT schema_name FROM customers WHERE active ORDER BY 1")
			.run((context) -> {
				assertThat(context.getBean(TenantSource.class)).isInstanceOf(QueryTenantSource.class);
				assertThat(context.getBean(TenantSource.class).tenants()).extracting(Tenant::name)
					.containsExactly("Big-Co", "acme");
			});
	}

	@Test
	void aTenantSourceBeanTurnsTenantsOnAndWins(TestDatabase database) {
		TenantSource own = () -> List.of(Tenant.ofSchema("mine"));
		runner(database).withPropertyValues("migrations.tenants.schemas=a")
			.withBean(TenantSource.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(TenantMigrations.class)
				.getBean(TenantSource.class)
				.isSameAs(own));
		runner(database).withBean(TenantSource.class, () -> own)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TenantMigrations.class));
	}

	@Test
	void theStartUpFanOutMigratesTheListedTenants(TestDatabase database) {
		runner(database).withPropertyValues("migrations.mode=migrate", "migrations.tenants.schemas=a,b")
			.run((context) -> assertThat(context.getBean(TenantStatuses.class).counts())
				.containsEntry(TenantState.MIGRATED, 2));
	}

	@Test
	void validateModeDoesNotFanOut(TestDatabase database) {
		runner(database).withPropertyValues("migrations.tenants.schemas=a,b")
			.run((context) -> assertThat(context.getBean(TenantStatuses.class).size()).isZero());
	}

	@Test
	void aUserTenantStatusesWins(TestDatabase database) {
		TenantStatuses own = new TenantStatuses();
		runner(database).withPropertyValues("migrations.tenants.schemas=a")
			.withBean(TenantStatuses.class, () -> own)
			.run((context) -> assertThat(context).getBean(TenantStatuses.class).isSameAs(own));
	}

	@Test
	void schemasAndAQueryTogetherAreRefused(TestDatabase database) {
		runner(database)
			.withPropertyValues("migrations.tenants.schemas=a", "migrations.tenants.query=SELECT 'b'")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.query"));
	}

	@Test
	void aCanaryThatIsNotATenantIsRefused(TestDatabase database) {
		runner(database).withPropertyValues("migrations.tenants.schemas=a,b", "migrations.tenants.canary=c")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.canary"));
	}

	@Test
	void aParallelismBelowOneIsRefused(TestDatabase database) {
		runner(database).withPropertyValues("migrations.tenants.schemas=a", "migrations.tenants.parallelism=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.parallelism"));
	}

	@Test
	void tenantDatabasesBindToASmallPoolPerTenantThatClosesWithTheContext(TestDatabase database) {
		List<HikariDataSource> pools = new ArrayList<>();
		runner(database)
			.withPropertyValues("migrations.tenants.databases.acme.url=" + database.jdbcUrl(),
					"migrations.tenants.databases.acme.username=" + database.username(),
					"migrations.tenants.databases.acme.password=" + database.password(),
					"migrations.tenants.databases.[Big-Co].url=" + database.jdbcUrl(),
					"migrations.tenants.databases.[Big-Co].schema=big_co")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(TenantMigrations.class);
				TenantSource source = context.getBean(TenantSource.class);
				assertThat(source).isInstanceOf(DataSourceTenantSource.class);
				assertThat(source.isFixed()).isTrue();
				List<Tenant> tenants = source.tenants();
				assertThat(tenants).extracting(Tenant::name).containsExactly("acme", "Big-Co");
				assertThat(tenants).extracting(Tenant::schema).containsExactly(null, "big_co");
				assertThat(tenants).extracting(Tenant::dataSource)
					.allSatisfy((dataSource) -> assertThat(dataSource).isInstanceOf(HikariDataSource.class))
					.doesNotContain(context.getBean(DataSource.class));
				tenants.forEach((tenant) -> pools.add((HikariDataSource) tenant.dataSource()));
				assertThat(pools.get(0).getPoolName()).isEqualTo("migrations-tenant-acme");
				assertThat(pools.get(0).getJdbcUrl()).isEqualTo(database.jdbcUrl());
				assertThat(pools.get(0).getPassword()).isEqualTo(database.password());
				assertThat(pools.get(0).getMaximumPoolSize()).isEqualTo(TenantDatabases.MAXIMUM_POOL_SIZE);
				assertThat(pools.get(0).getMinimumIdle()).isZero();
				try (var connection = pools.get(0).getConnection()) {
					assertThat(connection.isValid(1)).isTrue();
				}
				assertThat(pools).noneMatch(HikariDataSource::isClosed);
			});
		assertThat(pools).hasSize(2).allMatch(HikariDataSource::isClosed);
	}

	@Test
	void aTenantSourceBeanWinsOverTenantDatabasesWhosePoolsAreNeverOpened(TestDatabase database) {
		TenantSource own = () -> List.of(Tenant.ofSchema("mine"));
		runner(database).withPropertyValues("migrations.tenants.databases.acme.url=" + database.jdbcUrl())
			.withBean(TenantSource.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed().getBean(TenantSource.class).isSameAs(own);
				assertThat(context.getBeansOfType(HikariDataSource.class)).as("the application's pool only")
					.hasSize(1);
			});
	}

	@Test
	void tenantDatabasesTogetherWithSchemasAreRefused(TestDatabase database) {
		runner(database)
			.withPropertyValues("migrations.tenants.schemas=a",
					"migrations.tenants.databases.acme.url=" + database.jdbcUrl())
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.schemas")
				.hasMessageContaining("migrations.tenants.databases is set too"));
		runner(database)
			.withPropertyValues("migrations.tenants.query=SELECT 'a'",
					"migrations.tenants.databases.acme.url=" + database.jdbcUrl())
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.query"));
	}

	@Test
	void aTenantDatabaseWithoutAUrlIsRefusedNamingTheProperty(TestDatabase database) {
		runner(database)
			.withPropertyValues("migrations.tenants.databases.acme.username=acme",
					"migrations.tenants.databases.acme.password=secret-of-acme")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.databases.acme.url")
				.hasMessageNotContaining("secret-of-acme"));
	}

	@Test
	void aTenantDatabaseUrlThatIsNotJdbcIsRefusedWithoutShowingIt(TestDatabase database) {
		runner(database)
			.withPropertyValues("migrations.tenants.databases.acme.url=postgresql://acme:secret-of-acme@db/acme")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("migrations.tenants.databases.acme.url")
				.hasMessageNotContaining("secret-of-acme"));
	}

	@Test
	void aTenantDatabasesPoolTooSmallForARunIsRefusedNamingTheTenant(TestDatabase database) {
		HikariDataSource tiny = new HikariDataSource();
		tiny.setJdbcUrl(database.jdbcUrl());
		tiny.setUsername(database.username());
		tiny.setPassword(database.password());
		tiny.setMaximumPoolSize(1);
		try (tiny) {
			runner(database).withPropertyValues("migrations.mode=migrate")
				.withBean(TenantSource.class, () -> new DataSourceTenantSource(Map.of("acme", tiny)))
				.run((context) -> assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(MigrationsException.class)
					.hasMessageContaining("A run of tenant acme holds 2 of its connections")
					.hasMessageContaining("its database's pool has 1"));
		}
	}

	@Test
	void databaseTenantsAreNotBoundedByTheApplicationsPool(TestDatabase database) {
		AtomicReference<DataSource> tenantPool = new AtomicReference<>();
		try (TestDatabase tenant = TestDatabase.create(database.server()); HikariDataSource pool = new HikariDataSource()) {
			pool.setJdbcUrl(tenant.jdbcUrl());
			pool.setUsername(tenant.username());
			pool.setPassword(tenant.password());
			pool.setMaximumPoolSize(2);
			tenantPool.set(pool);
			// Eight at once, each holding 2 connections, and the application's pool has 3.
			runner(database).withPropertyValues("migrations.mode=migrate", "migrations.tenants.parallelism=8")
				.withBean(TenantSource.class, () -> new DataSourceTenantSource(Map.of("acme", tenantPool.get())))
				.run((context) -> assertThat(context).hasNotFailed()
					.getBean(TenantStatuses.class)
					.satisfies((statuses) -> assertThat(statuses.get("acme").state()).isEqualTo(TenantState.MIGRATED)));
		}
	}

}
