package io.apiforge.migrations.autoconfigure;

import java.time.Clock;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

import io.apiforge.migrations.backup.BackupCatalog;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.DirectoryBackupCatalog;
import io.apiforge.migrations.backup.jdbc.AutoBackupStrategy;
import io.apiforge.migrations.backup.jdbc.JdbcBackupRestorer;
import io.apiforge.migrations.backup.jdbc.JdbcBackupStrategy;
import io.apiforge.migrations.backup.pgdump.BackupRestorer;
import io.apiforge.migrations.backup.pgdump.PgDumpBackupStrategy;
import io.apiforge.migrations.drift.DriftCheck;
import io.apiforge.migrations.drift.DriftDetector;
import io.apiforge.migrations.drift.DriftMonitor;
import io.apiforge.migrations.flyway.FlywayInternals;
import io.apiforge.migrations.lifecycle.ExitAfterMigrationListener;
import io.apiforge.migrations.lint.MigrationLinter;
import io.apiforge.migrations.lint.PendingMigrationsLint;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.operations.BackgroundMigration;
import io.apiforge.migrations.operations.LifecycleFlywayMigrationStrategy;
import io.apiforge.migrations.operations.LockedRun;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.operations.MigrationProgressCustomizer;
import io.apiforge.migrations.operations.TenantMigrations;
import io.apiforge.migrations.plan.MigrationPlanner;
import io.apiforge.migrations.rollback.RollbackPlanner;
import io.apiforge.migrations.rollback.UndoStepExecutor;
import io.apiforge.migrations.rollback.UndoScriptResourceTypeProvider;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * Auto-configuration of the migration lifecycle. Spring Boot's
 * {@link FlywayAutoConfiguration} still builds the {@link Flyway} bean from
 * {@code spring.flyway.*} and runs it at start-up; this configuration contributes the
 * (primary) {@link FlywayMigrationStrategy} through which that run goes, so that it
 * inspects, locks, backs up and publishes around the migration. A user's own strategy
 * is wrapped, not replaced.
 *
 * @author apiforge
 */
@AutoConfiguration(after = FlywayAutoConfiguration.class)
@ConditionalOnClass({ Flyway.class, FlywayMigrationStrategy.class })
@ConditionalOnBean(Flyway.class)
@ConditionalOnBooleanProperty(name = "migrations.enabled", matchIfMissing = true)
@EnableConfigurationProperties(MigrationsProperties.class)
public final class MigrationsAutoConfiguration {

	MigrationsAutoConfiguration(MigrationsProperties properties, Environment environment) {
		// Before any bean of the lifecycle exists, so before any lock, backup or migration.
		MigrationsPropertiesCheck.check(properties, environment);
		BackgroundModeCheck.check(properties.getMode(), environment);
	}

	@Bean
	@ConfigurationPropertiesBinding
	static BackupVerificationConverter migrationsBackupVerificationConverter() {
		return new BackupVerificationConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationStatusHolder migrationStatusHolder() {
		return new MigrationStatusHolder(Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationLockProvider migrationLockProvider(MigrationsProperties properties) {
		return new PostgresAdvisoryLockProvider(properties.getLock().getRetryInterval(),
				properties.getLock().getKeepAliveInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	BackupStrategy migrationBackupStrategy(MigrationsProperties properties) {
		return BackupStrategies.create(properties.getBackup(), properties.getBackup().getDirectory(),
				properties.getBackup().getScope());
	}

	// Restorers serve the application's own code (a restore on request), never a start-up:
	// created when first asked for.
	@Bean
	@Lazy
	@ConditionalOnMissingBean
	BackupRestorer migrationBackupRestorer(MigrationsProperties properties) {
		return new BackupRestorer(properties.getBackup().getPgDump().getPath(), properties.getBackup().getTimeout(),
				properties.getBackup().getJobs());
	}

	@Bean
	@Lazy
	@ConditionalOnMissingBean
	JdbcBackupRestorer migrationJdbcBackupRestorer() {
		return new JdbcBackupRestorer();
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationLinter migrationLinter(MigrationsProperties properties) {
		return new MigrationLinter(properties.getLint().getMaxScriptSize());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "migrations.lint.enabled", matchIfMissing = true)
	PendingMigrationsLint pendingMigrationsLint(MigrationLinter linter, MigrationsProperties properties) {
		return new PendingMigrationsLint(linter, properties.getLint().getFailOn());
	}

	@Bean
	@ConditionalOnMissingBean
	LockedRun migrationLockedRun(MigrationLockProvider lockProvider, BackupStrategy backupStrategy,
			MigrationStatusHolder status, ApplicationEventPublisher events, MigrationsProperties properties,
			ObjectProvider<DriftCheck> drift) {
		return new LockedRun(lockProvider, backupStrategy, properties.getBackup().getOnFailure(), status, events,
				properties.getLock().getTimeout(), Clock.systemUTC(), drift.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "migrations.drift.enabled", matchIfMissing = true)
	DriftDetector migrationDriftDetector(Flyway flyway, MigrationLockProvider lockProvider,
			MigrationStatusHolder status, MigrationsProperties properties) {
		return new DriftDetector(flyway.getConfiguration(), lockProvider, status, properties.getLock().getTimeout(),
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "migrations.drift.enabled", matchIfMissing = true)
	DriftCheck migrationDriftCheck(DriftDetector detector, MigrationsProperties properties) {
		return new DriftCheck(detector, properties.getDrift().getCheck());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "migrations.drift.enabled", matchIfMissing = true)
	DriftMonitor migrationDriftMonitor(DriftDetector detector, MigrationsProperties properties) {
		return new DriftMonitor(detector, properties.getDrift().getInterval());
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationOperations migrationOperations(Flyway flyway, LockedRun runs, BackupStrategy backupStrategy, ObjectProvider<PendingMigrationsLint> lint,
			ObjectProvider<FlywayMigrationStrategy> strategies, RollbackPlanner rollbackPlanner,
			MigrationPlanner planner) {
		return new MigrationOperations(flyway, runs, backupStrategy, lint.getIfAvailable(),
				() -> UserMigrationStrategy.find(strategies), rollbackPlanner, new UndoStepExecutor(), planner);
	}

	@Bean
	@Primary
	@ConditionalOnMissingBean(LifecycleFlywayMigrationStrategy.class)
	LifecycleFlywayMigrationStrategy migrationLifecycleFlywayMigrationStrategy(MigrationOperations operations,
			MigrationsProperties properties, ObjectProvider<BackgroundMigration> background,
			ObjectProvider<TenantMigrations> tenants) {
		return new LifecycleFlywayMigrationStrategy(operations, properties.getMode(),
				properties.getValidate().isFailOnPending(), properties.getRollback().getTarget(),
				background.getIfAvailable(), tenants.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "migrations.mode", havingValue = "background")
	BackgroundMigration migrationBackgroundMigration(MigrationOperations operations, MigrationsProperties properties) {
		return new BackgroundMigration(operations, properties.getBackground().isExitOnFailure());
	}

	@Bean
	FlywayConfigurationCustomizer migrationProgressCustomizer(MigrationStatusHolder status) {
		return new MigrationProgressCustomizer(status);
	}

	@Bean
	@ConditionalOnMissingBean
	RollbackPlanner migrationRollbackPlanner(MigrationsProperties properties) {
		return new RollbackPlanner(properties.getRollback().getUndoPrefix(),
				properties.getRollback().isAllowRepeatables());
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationPlanner migrationPlanner(BackupStrategy backupStrategy, RollbackPlanner rollbackPlanner,
			MigrationsProperties properties, MigrationLinter linter) {
		return new MigrationPlanner(backupStrategy, rollbackPlanner, properties.getRollback().getUndoPrefix(),
				properties.getLint().isEnabled() ? linter : null);
	}

	@Bean
	FlywayConfigurationCustomizer migrationUndoScriptNamingCustomizer(MigrationsProperties properties) {
		return (configuration) -> {
			UndoScriptResourceTypeProvider undoScripts = FlywayInternals.plugin(configuration,
					UndoScriptResourceTypeProvider.class);
			if (undoScripts != null) {
				undoScripts.setPrefix(properties.getRollback().getUndoPrefix());
			}
		};
	}

	@Bean
	@ConditionalOnMissingBean
	MigrationStatusRefresher migrationStatusRefresher(MigrationStatusHolder status, Flyway flyway,
			MigrationsProperties properties) {
		return new MigrationStatusRefresher(status, flyway.getConfiguration().getDataSource(),
				SchemaHistory.tableOf(flyway.getConfiguration()), properties.getStatus().getRefreshInterval(),
				Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	BackupCatalog migrationBackupCatalog(BackupStrategy backupStrategy, MigrationsProperties properties,
			Flyway flyway) {
		// The pg-dump and jdbc strategies name and describe their backups alike.
		if (backupStrategy instanceof PgDumpBackupStrategy || backupStrategy instanceof AutoBackupStrategy
				|| backupStrategy instanceof JdbcBackupStrategy) {
			return new DirectoryBackupCatalog(properties.getBackup().getDirectory(),
					flyway.getConfiguration().getDataSource(), SchemaHistory.schemasOf(flyway.getConfiguration()));
		}
		return List::of;
	}

	@Bean
	@Conditional(OnOneShotModeCondition.class)
	ExitAfterMigrationListener migrationExitAfterMigrationListener() {
		return new ExitAfterMigrationListener();
	}

}
