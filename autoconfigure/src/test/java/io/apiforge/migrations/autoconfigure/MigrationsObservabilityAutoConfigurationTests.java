package io.apiforge.migrations.autoconfigure;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.actuate.endpoint.MigrationsEndpoint;
import io.apiforge.migrations.health.MigrationsHealthIndicator;
import io.apiforge.migrations.metrics.MigrationsMetrics;
import io.apiforge.migrations.metrics.TenantMetrics;
import io.apiforge.migrations.tenants.Tenant;
import io.apiforge.migrations.tenants.TenantStatuses;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of the endpoint, health and metrics auto-configurations: when each applies,
 * when it backs off, and that a user's bean wins.
 */
@WithPostgres
class MigrationsObservabilityAutoConfigurationTests {

	private ApplicationContextRunner runner(TestDatabase database) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsEndpointAutoConfiguration.class,
					MigrationsHealthContributorAutoConfiguration.class, MigrationsMetricsAutoConfiguration.class));
	}

	@Test
	void runWhenNotExposedShouldNotHaveEndpointBean(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MigrationsEndpoint.class));
	}

	@Test
	void runWhenExposedShouldHaveEndpointBean(TestDatabase database) {
		runner(database).withPropertyValues("management.endpoints.web.exposure.include=migrations")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(MigrationsEndpoint.class));
	}

	@Test
	void runWhenAccessIsNoneShouldNotHaveEndpointBean(TestDatabase database) {
		runner(database)
			.withPropertyValues("management.endpoints.web.exposure.include=migrations",
					"management.endpoint.migrations.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsEndpoint.class));
	}

	@Test
	void healthIndicatorIsContributedAndCanBeSwitchedOff(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasBean("migrationsHealthIndicator")
			.getBean("migrationsHealthIndicator")
			.isInstanceOf(MigrationsHealthIndicator.class));
		runner(database).withPropertyValues("management.health.migrations.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsHealthIndicator.class));
	}

	@Test
	void aUsersHealthIndicatorOfTheSameNameWins(TestDatabase database) {
		HealthIndicator mine = () -> Health.up().withDetail("mine", true).build();
		runner(database).withBean("migrationsHealthIndicator", HealthIndicator.class, () -> mine)
			.run((context) -> assertThat(context).doesNotHaveBean(MigrationsHealthIndicator.class)
				.getBean("migrationsHealthIndicator")
				.isSameAs(mine));
	}

	@Test
	void healthBacksOffWithoutSpringBootsHealthModule(TestDatabase database) {
		runner(database).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MigrationsHealthIndicator.class));
	}

	@Test
	void metricsNeedAMeterRegistry(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MigrationsMetrics.class));
		runner(database)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(MigrationsMetrics.class));
	}

	@Test
	void withTenantsTheEndpointHealthAndMetersReadTheTenantsStatuses(TestDatabase database) {
		tenantsRunner(database).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(TenantMetrics.class);
			context.getBean(TenantStatuses.class).listed(List.of(Tenant.ofSchema("acme")));
			WebEndpointResponse<Object> tenants = context.getBean(MigrationsEndpoint.class)
				.migration("tenants", null, null, null, null, SecurityContext.NONE);
			assertThat(tenants.getStatus()).isEqualTo(200);
			assertThat(((MigrationsEndpoint.TenantsDescriptor) tenants.getBody()).total()).isEqualTo(1);
			assertThat(context.getBean(MigrationsHealthIndicator.class).health().getDetails())
				.containsEntry("tenants", Map.of("PENDING", 1, "MIGRATING", 0, "MIGRATED", 0, "UP_TO_DATE", 0,
						"FAILED", 0, "SKIPPED", 0));
			assertThat(context.getBean(MeterRegistry.class).get(TenantMetrics.TENANTS).tag("state", "pending").gauge()
				.value()).isEqualTo(1);
		});
	}

	@Test
	void withoutTenantsThereAreNoTenantMetersAndTheEndpointSaysSo(TestDatabase database) {
		runner(database).withPropertyValues("management.endpoints.web.exposure.include=migrations")
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(MigrationsMetrics.class)
					.doesNotHaveBean(TenantMetrics.class);
				assertThat(context.getBean(MigrationsEndpoint.class)
					.migration("tenants", null, null, null, null, SecurityContext.NONE)
					.getStatus()).isEqualTo(404);
			});
	}

	@Test
	void aUsersTenantMetricsWin(TestDatabase database) {
		TenantMetrics mine = new TenantMetrics(new TenantStatuses());
		tenantsRunner(database).withBean(TenantMetrics.class, () -> mine)
			.run((context) -> assertThat(context).hasNotFailed().getBean(TenantMetrics.class).isSameAs(mine));
	}

	private ApplicationContextRunner tenantsRunner(TestDatabase database) {
		return runner(database)
			.withConfiguration(AutoConfigurations.of(MigrationsTenantsAutoConfiguration.class,
					MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("migrations.mode=validate", "migrations.tenants.schemas=acme",
					"management.endpoints.web.exposure.include=migrations");
	}

	@Test
	void metricsBackOffWithoutMicrometer(TestDatabase database) {
		runner(database).withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MigrationsMetrics.class));
	}

}
