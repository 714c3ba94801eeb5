package io.apiforge.migrations.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.operations.TenantMigrations;
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

}
