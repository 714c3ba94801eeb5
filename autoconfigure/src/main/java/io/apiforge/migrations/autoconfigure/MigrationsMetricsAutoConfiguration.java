package io.apiforge.migrations.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.annotation.Bean;

import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.metrics.ContractMetrics;
import io.apiforge.migrations.metrics.MigrationsMetrics;
import io.apiforge.migrations.metrics.TenantMetrics;
import io.apiforge.migrations.status.ContractStatusHolder;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * Auto-configuration of the lifecycle's Micrometer meters, and of the tenants' when
 * tenants are configured.
 *
 * @author apiforge
 */
@AutoConfiguration(after = { MigrationsAutoConfiguration.class, MigrationsTenantsAutoConfiguration.class,
		MigrationsContractAutoConfiguration.class,
		MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
		SimpleMetricsExportAutoConfiguration.class })
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, MigrationStatusHolder.class })
public final class MigrationsMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MigrationsMetrics migrationsMetrics(MigrationStatusHolder status, MeterRegistry registry,
			BackupStrategy backupStrategy) {
		return new MigrationsMetrics(status, registry, backupStrategy.name());
	}

	@Bean
	@ConditionalOnBean(TenantStatuses.class)
	@ConditionalOnMissingBean
	TenantMetrics migrationTenantMetrics(TenantStatuses statuses) {
		return new TenantMetrics(statuses);
	}

	@Bean
	@ConditionalOnBean(ContractStatusHolder.class)
	@ConditionalOnMissingBean
	ContractMetrics migrationContractMetrics(ContractStatusHolder status) {
		return new ContractMetrics(status);
	}

}
