package io.apiforge.migrations.autoconfigure;

import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.apiforge.migrations.replicas.ReplicaHeartbeat;
import io.apiforge.migrations.replicas.ReplicaIdentity;
import io.apiforge.migrations.replicas.ReplicaRegistry;
import io.apiforge.migrations.replicas.ReplicaTable;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * The replica registry ({@code migrations.replicas.*}): this instance's row beside the
 * schema history table, kept fresh by a heartbeat while the application runs. Not in
 * the one-shot modes, whose process exits once it has run. Each bean backs off for a
 * user's own.
 *
 * @author apiforge
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnBean({ Flyway.class, MigrationStatusHolder.class })
@ConditionalOnBooleanProperty(name = "migrations.replicas.enabled", matchIfMissing = true)
@Conditional(MigrationsReplicasAutoConfiguration.OnLongRunningModeCondition.class)
public final class MigrationsReplicasAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReplicaRegistry migrationReplicaRegistry(Flyway flyway, MigrationStatusHolder status,
			MigrationsProperties properties, Environment environment, ObjectProvider<BuildProperties> build) {
		Configuration configuration = flyway.getConfiguration();
		MigrationsProperties.Replicas replicas = properties.getReplicas();
		ReplicaIdentity identity = ReplicaIdentity.of(replicas.getInstanceId(),
				applicationVersion(environment, build.getIfAvailable()), Instant.now());
		return new ReplicaRegistry(configuration.getDataSource(),
				new ReplicaTable(SchemaHistory.defaultSchemaOf(configuration), configuration.getTable()), identity,
				() -> status.current().schema().expectedVersion(), replicas.getStaleAfter());
	}

	private static @Nullable String applicationVersion(Environment environment, @Nullable BuildProperties build) {
		String version = environment.getProperty("spring.application.version");
		return (version == null && build != null) ? build.getVersion() : version;
	}

	@Bean
	@ConditionalOnMissingBean
	ReplicaHeartbeat migrationReplicaHeartbeat(ReplicaRegistry registry, MigrationsProperties properties) {
		return new ReplicaHeartbeat(registry, properties.getReplicas().getHeartbeatInterval());
	}

	/**
	 * Matches unless {@code migrations.mode} runs once and exits.
	 */
	static class OnLongRunningModeCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return MigrationModes.isOneShot(context.getEnvironment())
					? ConditionOutcome.noMatch("migrations.mode runs once and exits")
					: ConditionOutcome.match("migrations.mode starts the application");
		}

	}

}
