package io.apiforge.migrations.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

import io.apiforge.migrations.health.MigrationsHealthIndicator;
import io.apiforge.migrations.status.ContractStatusHolder;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * Auto-configuration of the {@code migrations} health contributor. Add it to the
 * readiness group ({@code management.endpoint.health.group.readiness.include}); it
 * joins no group on its own.
 *
 * @author apiforge
 */
@AutoConfiguration(after = { MigrationsAutoConfiguration.class, MigrationsTenantsAutoConfiguration.class,
		MigrationsContractAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(MigrationStatusRefresher.class)
@ConditionalOnEnabledHealthIndicator("migrations")
public final class MigrationsHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "migrationsHealthIndicator", "migrationsHealthContributor" })
	MigrationsHealthIndicator migrationsHealthIndicator(MigrationStatusRefresher status,
			MigrationsProperties properties, ObjectProvider<TenantStatuses> tenants,
			ObjectProvider<ContractStatusHolder> contract) {
		return new MigrationsHealthIndicator(status, properties.getHealth().isFailWhenAhead(),
				tenants.getIfAvailable(), contract.getIfAvailable());
	}

}
