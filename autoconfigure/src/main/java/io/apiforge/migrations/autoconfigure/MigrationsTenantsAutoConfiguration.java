package io.apiforge.migrations.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;

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
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.DigestUtils;

import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.lint.MigrationLinter;
import io.apiforge.migrations.lint.PendingMigrationsLint;
import io.apiforge.migrations.operations.LockedRun;
import io.apiforge.migrations.operations.TenantMigrations;
import io.apiforge.migrations.tenants.FixedTenantSource;
import io.apiforge.migrations.tenants.QueryTenantSource;
import io.apiforge.migrations.tenants.Tenant;
import io.apiforge.migrations.tenants.TenantBackupStrategies;
import io.apiforge.migrations.tenants.TenantMigrationSettings;
import io.apiforge.migrations.tenants.TenantSource;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * Migrates many tenants after the application's own schema, when tenants are configured:
 * a {@link TenantSource} bean of the user's, or {@code migrations.tenants.schemas},
 * {@code migrations.tenants.query} or {@code migrations.tenants.databases} (a connection
 * pool per tenant database, closed with the context). Each bean backs off for a user's
 * own.
 *
 * @author apiforge
 */
@AutoConfiguration(after = MigrationsAutoConfiguration.class)
@ConditionalOnBean(LockedRun.class)
@Conditional(MigrationsTenantsAutoConfiguration.OnTenantsCondition.class)
public final class MigrationsTenantsAutoConfiguration {

	/** The directory, under {@code migrations.backup.directory}, of the tenants' backups. */
	static final String TENANTS_DIRECTORY = "tenants";

	@Bean
	@ConditionalOnMissingBean
	TenantSource migrationTenantSource(Flyway flyway, MigrationsProperties properties, ResourceLoader resourceLoader) {
		MigrationsProperties.Tenants tenants = properties.getTenants();
		if (!tenants.getDatabases().isEmpty()) {
			// Closed with the context (an AutoCloseable bean).
			return TenantDatabases.of(tenants.getDatabases(), resourceLoader.getClassLoader());
		}
		if (tenants.getQuery() != null && !tenants.getQuery().isBlank()) {
			return new QueryTenantSource(flyway.getConfiguration().getDataSource(), tenants.getQuery());
		}
		return new FixedTenantSource(tenants.getSchemas());
	}

	@Bean
	@ConditionalOnMissingBean
	TenantStatuses migrationTenantStatuses() {
		return new TenantStatuses();
	}

	@Bean
	@ConditionalOnMissingBean
	TenantBackupStrategies migrationTenantBackupStrategies(BackupStrategy backupStrategy,
			MigrationsProperties properties) {
		if (!BackupStrategies.isBuiltIn(backupStrategy)) {
			return (tenant) -> backupStrategy;
		}
		MigrationsProperties.Backup backup = properties.getBackup();
		Path directory = backup.getDirectory().resolve(TENANTS_DIRECTORY);
		// A schema tenant shares the application's database: only its schema is its own.
		// A database tenant's database is its own, backed up like the application's.
		return (tenant) -> BackupStrategies.create(backup, directory.resolve(directoryName(tenant)),
				(tenant.dataSource() != null) ? backup.getScope() : BackupScope.SCHEMAS);
	}

	@Bean
	@ConditionalOnMissingBean
	TenantMigrations migrationTenantMigrations(Flyway flyway, LockedRun runs, TenantSource source,
			TenantStatuses statuses, TenantBackupStrategies backups, MigrationLinter linter,
			MigrationsProperties properties) {
		MigrationsProperties.Tenants tenants = properties.getTenants();
		// A lint of their own: the tenants' reports never replace the application's.
		PendingMigrationsLint lint = properties.getLint().isEnabled()
				? new PendingMigrationsLint(linter, properties.getLint().getFailOn()) : null;
		return new TenantMigrations(flyway, runs, source, statuses, backups,
				(lint != null) ? lint::check : null, new TenantMigrationSettings(tenants.getLocations(),
						tenants.getParallelism(), tenants.getCanary(), tenants.getOnFailure()),
				Clock.systemUTC());
	}

	/**
	 * A tenant's backup directory: its name when that is safe for any file system, else
	 * its name made safe and a short hash of it, so that two names never share one.
	 */
	static String directoryName(Tenant tenant) {
		String name = tenant.name();
		String safe = name.replaceAll("[^A-Za-z0-9_-]", "_");
		if (safe.equals(name) && safe.length() <= 60) {
			return safe;
		}
		String hash = HexFormat.of()
			.formatHex(DigestUtils.md5Digest(name.getBytes(StandardCharsets.UTF_8)))
			.substring(0, 8);
		return safe.substring(0, Math.min(safe.length(), 50)) + "-" + hash;
	}

	/**
	 * Tenants are configured: a {@link TenantSource} bean, or one of the properties that
	 * list them.
	 */
	static final class OnTenantsCondition extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			// After the user's bean definitions are registered, so that a TenantSource is seen.
			return ConfigurationPhase.REGISTER_BEAN;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			if (!binder.bind("migrations.tenants.schemas", Bindable.listOf(String.class))
				.orElse(List.of())
				.isEmpty()) {
				return ConditionOutcome.match("migrations.tenants.schemas is set");
			}
			if (binder.bind("migrations.tenants.query", String.class).map((query) -> !query.isBlank()).orElse(false)) {
				return ConditionOutcome.match("migrations.tenants.query is set");
			}
			if (!binder
				.bind("migrations.tenants.databases",
						Bindable.mapOf(String.class, MigrationsProperties.Tenants.Database.class))
				.orElse(Map.of())
				.isEmpty()) {
				return ConditionOutcome.match("migrations.tenants.databases is set");
			}
			if (context.getBeanFactory() != null
					&& context.getBeanFactory().getBeanNamesForType(TenantSource.class, true, false).length > 0) {
				return ConditionOutcome.match("found a TenantSource bean");
			}
			return ConditionOutcome
				.noMatch("no TenantSource bean, migrations.tenants.schemas, query or databases");
		}

	}

}
