package io.apiforge.migrations.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.lifecycle.MigrationMode;
import io.apiforge.migrations.lint.LintRule;
import io.apiforge.migrations.lint.MigrationLinter;
import io.apiforge.migrations.lint.PendingMigrationsLint;
import io.apiforge.migrations.operations.ContractMigrations;
import io.apiforge.migrations.operations.LockedRun;
import io.apiforge.migrations.replicas.ReplicaIdentity;
import io.apiforge.migrations.replicas.ReplicaRegistry;
import io.apiforge.migrations.replicas.ReplicaTable;
import io.apiforge.migrations.status.ContractStatusHolder;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * Contract migrations ({@code migrations.contract.*}): on when
 * {@code migrations.contract.locations} names where they are, in the modes that
 * migrate ({@code migrate}, {@code background}, {@code migrate-and-exit}). They wait for
 * the replica registry: this instance's own when it keeps one, else a reader of the same
 * table (a one-shot mode does not register, but still waits for the others).
 *
 * @author apiforge
 */
@AutoConfiguration(after = { MigrationsAutoConfiguration.class, MigrationsReplicasAutoConfiguration.class })
@ConditionalOnBean({ Flyway.class, LockedRun.class })
@Conditional(MigrationsContractAutoConfiguration.OnContractLocationsCondition.class)
public final class MigrationsContractAutoConfiguration {

	private static final Set<MigrationMode> MIGRATING = Set.of(MigrationMode.MIGRATE, MigrationMode.BACKGROUND,
			MigrationMode.MIGRATE_AND_EXIT);

	@Bean
	@ConditionalOnMissingBean
	ContractStatusHolder migrationContractStatusHolder() {
		return new ContractStatusHolder(Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	ContractMigrations migrationContractMigrations(Flyway flyway, LockedRun runs, BackupStrategy backupStrategy,
			ContractStatusHolder status, ObjectProvider<ReplicaRegistry> registry, MigrationLinter linter,
			MigrationsProperties properties) {
		MigrationsProperties.Contract contract = properties.getContract();
		MigrationMode mode = properties.getMode();
		boolean migrating = MIGRATING.contains(mode);
		// Background mode migrates once the application is ready: its first periodic
		// check runs the contract; a one-shot mode exits after the start-up run.
		boolean runAtStartUp = mode == MigrationMode.MIGRATE || mode == MigrationMode.MIGRATE_AND_EXIT;
		boolean periodic = mode == MigrationMode.MIGRATE || mode == MigrationMode.BACKGROUND;
		// A lint of its own: its reports never replace the application's, and the
		// statements a contract migration is for are expected.
		PendingMigrationsLint lint = properties.getLint().isEnabled() ? new PendingMigrationsLint(linter,
				properties.getLint().getFailOn(), LintRule.contractRules()) : null;
		return new ContractMigrations(flyway, contract.getLocations(), runs, backupStrategy, status,
				registry.getIfAvailable(() -> reader(flyway, properties)), contract.getExternal(),
				migrating && runAtStartUp, mode == MigrationMode.MIGRATE_AND_EXIT,
				periodic ? contract.getCheckInterval() : Duration.ZERO, (lint != null) ? lint::check : null);
	}

	private static ReplicaRegistry reader(Flyway flyway, MigrationsProperties properties) {
		Configuration configuration = flyway.getConfiguration();
		// Only read: an instance that does not keep running never writes its row.
		return new ReplicaRegistry(configuration.getDataSource(),
				new ReplicaTable(SchemaHistory.defaultSchemaOf(configuration), configuration.getTable()),
				ReplicaIdentity.of(null, null, Instant.now()), () -> null, properties.getReplicas().getStaleAfter());
	}

	/**
	 * Matches when {@code migrations.contract.locations} names at least one location.
	 */
	static class OnContractLocationsCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			List<String> locations = Binder.get(context.getEnvironment())
				.bind("migrations.contract.locations", Bindable.listOf(String.class))
				.orElse(List.of());
			return locations.isEmpty() ? ConditionOutcome.noMatch("migrations.contract.locations is empty")
					: ConditionOutcome.match("migrations.contract.locations is " + locations);
		}

	}

}
