package io.apiforge.migrations.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.apiforge.migrations.actuate.endpoint.MigrationsEndpoint;
import io.apiforge.migrations.backup.BackupCatalog;
import io.apiforge.migrations.operations.ContractMigrations;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.replicas.ReplicaRegistry;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * Auto-configuration of the {@code migrations} actuator endpoint, when it is available
 * (enabled and exposed, like any Spring Boot endpoint).
 *
 * @author apiforge
 */
@AutoConfiguration(after = { MigrationsAutoConfiguration.class, MigrationsTenantsAutoConfiguration.class,
		MigrationsReplicasAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnAvailableEndpoint(MigrationsEndpoint.class)
@ConditionalOnBean(MigrationOperations.class)
@EnableConfigurationProperties(MigrationsEndpointProperties.class)
public final class MigrationsEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MigrationsEndpoint migrationsEndpoint(MigrationStatusRefresher status, BackupCatalog backups,
			MigrationOperations operations, MigrationsProperties properties,
			MigrationsEndpointProperties endpointProperties, ObjectProvider<TenantStatuses> tenants,
			ObjectProvider<ReplicaRegistry> replicas, ObjectProvider<ContractMigrations> contract) {
		return new MigrationsEndpoint(status, backups, operations, properties.getEndpoint().getWriteRole(),
				endpointProperties.getShowSql(), endpointProperties.getRoles(), tenants.getIfAvailable(),
				replicas.getIfAvailable(), contract.getIfAvailable());
	}

}
