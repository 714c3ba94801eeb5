package io.apiforge.migrations.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

import io.apiforge.migrations.backup.pgdump.PgDumpFormat;
import io.apiforge.migrations.lifecycle.MigrationMode;

/**
 * Checks the {@code migrations.*} properties at start-up, before anything is locked,
 * backed up or migrated, so that a value that cannot work stops the application at once
 * instead of surfacing inside the lock (or never: a sub-millisecond retry interval made
 * the lock wait spin).
 * <p>
 * A refused value is reported with Spring Boot's own
 * {@link InvalidConfigurationPropertyValueException}, which Boot's failure analysis
 * prints with the property, the value as it was written, where it was set, and the
 * reason: what is allowed and what to set instead. The first invalid property, in the
 * order of the configuration reference, is reported.
 *
 * @author apiforge
 */
final class MigrationsPropertiesCheck {

	/**
	 * A rollback target: a version as {@code RollbackPlanner} accepts it (digits
	 * separated by dots or underscores), or {@code base}.
	 */
	private static final Pattern VERSION = Pattern.compile("\\d+([._]\\d+)*");

	private static final String BASE = "base";

	/**
	 * What may start a file name and a resource pattern: no whitespace, no path
	 * separator, no wildcard.
	 */
	private static final Pattern UNDO_PREFIX = Pattern.compile("\\p{L}[\\p{L}\\p{N}_-]*");

	private static final Duration ONE_MILLISECOND = Duration.ofMillis(1);

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	private final MigrationsProperties properties;

	private final Binder binder;

	private MigrationsPropertiesCheck(MigrationsProperties properties, Environment environment) {
		this.properties = properties;
		this.binder = Binder.get(environment);
	}

	/**
	 * Check the properties.
	 * @param properties the bound properties
	 * @param environment the environment they were bound from, which also holds the
	 * {@code spring.flyway.*} prefixes the undo prefix must differ from
	 * @throws InvalidConfigurationPropertyValueException for the first invalid property
	 */
	static void check(MigrationsProperties properties, Environment environment) {
		Assert.notNull(properties, "'properties' must not be null");
		Assert.notNull(environment, "'environment' must not be null");
		new MigrationsPropertiesCheck(properties, environment).check();
	}

	private void check() {
		checkMode();
		MigrationsProperties.Lock lock = this.properties.getLock();
		positive("migrations.lock.timeout", lock.getTimeout(),
				"It must be a positive duration, such as 5m (the default): it bounds how long start-up waits for "
						+ "another instance that holds the migration lock. Set it above your longest migration.");
		atLeastOneMillisecond("migrations.lock.retry-interval", lock.getRetryInterval(),
				"It must be at least 1ms, such as 500ms (the default): the lock is asked for again after each "
						+ "interval, and a shorter one would ask without a pause.");
		atLeastOneMillisecond("migrations.lock.keep-alive-interval", lock.getKeepAliveInterval(),
				"It must be at least 1ms, such as 30s (the default): the connection that holds the migration lock "
						+ "runs a query after each interval, so that idle timeouts on the way do not end it.");
		checkBackup(this.properties.getBackup());
		DataSize maxScriptSize = this.properties.getLint().getMaxScriptSize();
		if (maxScriptSize == null || maxScriptSize.toBytes() <= 0) {
			throw invalid("migrations.lint.max-script-size", maxScriptSize,
					"It must be a positive size, such as 10MB (the default): the largest SQL migration the lint reads; "
							+ "a larger one is reported as script-too-large instead of being loaded into memory.");
		}
		Duration refreshInterval = this.properties.getStatus().getRefreshInterval();
		if (refreshInterval == null || refreshInterval.isNegative()) {
			throw invalid("migrations.status.refresh-interval", refreshInterval,
					"It must be zero or a positive duration, such as 10s (the default): how old the status may get "
							+ "before a reader refreshes it. 0 refreshes it on every read, at the cost of one query each.");
		}
		checkWriteRole(this.properties.getEndpoint().getWriteRole());
		checkUndoPrefix(this.properties.getRollback().getUndoPrefix());
		checkTarget();
		Duration driftInterval = this.properties.getDrift().getInterval();
		if (driftInterval == null || driftInterval.isNegative()
				|| (!driftInterval.isZero() && driftInterval.compareTo(ONE_SECOND) < 0)) {
			throw invalid("migrations.drift.interval", driftInterval,
					"It must be 0 (no periodic check) or at least 1s, such as 10m (the default): each check reads "
							+ "the whole catalog of the managed schemas (a few hundred milliseconds for 500 tables), "
							+ "so a shorter interval would keep a connection busy.");
		}
		checkTenants(this.properties.getTenants());
		checkReplicas(this.properties.getReplicas());
		checkContract(this.properties.getContract());
	}

	private void checkContract(MigrationsProperties.Contract contract) {
		Duration interval = contract.getCheckInterval();
		if (interval == null || interval.isNegative() || (!interval.isZero() && interval.compareTo(ONE_SECOND) < 0)) {
			throw invalid("migrations.contract.check-interval", interval,
					"It must be 0 (check only at start-up) or at least 1s, such as 1m (the default): each check "
							+ "reads the replica registry and both history tables.");
		}
		List<String> expand = this.binder.bind("spring.flyway.locations", Bindable.listOf(String.class))
			.orElse(List.of("classpath:db/migration"));
		for (String location : contract.getLocations()) {
			if (location == null || location.isBlank()) {
				throw invalid("migrations.contract.locations", String.join(",", contract.getLocations()),
						"It lists an empty location: name where the contract migrations are, such as "
								+ "classpath:db/contract.");
			}
			if (expand.contains(location)) {
				throw invalid("migrations.contract.locations", String.join(",", contract.getLocations()),
						"'" + location + "' is one of spring.flyway.locations too: keep the contract migrations in a "
								+ "location of their own, such as classpath:db/contract, or the application's "
								+ "migrations would run them without waiting.");
			}
		}
		contract.getExternal().forEach((name, version) -> {
			if (version == null || !VERSION.matcher(version).matches()) {
				throw invalid("migrations.contract.external." + name, version,
						"It must be the schema version that consumer still expects, such as 6 or 1.2.");
			}
		});
	}

	private void checkReplicas(MigrationsProperties.Replicas replicas) {
		Duration interval = replicas.getHeartbeatInterval();
		if (interval == null || interval.compareTo(ONE_SECOND) < 0) {
			throw invalid("migrations.replicas.heartbeat-interval", interval,
					"It must be at least 1s, such as 30s (the default): each heartbeat writes one row.");
		}
		Duration staleAfter = replicas.getStaleAfter();
		if (staleAfter == null || staleAfter.compareTo(interval.multipliedBy(2)) < 0) {
			throw invalid("migrations.replicas.stale-after", staleAfter,
					"It must be at least twice migrations.replicas.heartbeat-interval (" + interval
							+ "), such as 2m (the default): a single late heartbeat must not make a live instance "
							+ "count as gone.");
		}
	}

	private void checkTenants(MigrationsProperties.Tenants tenants) {
		if (!tenants.getSchemas().isEmpty() && tenants.getQuery() != null && !tenants.getQuery().isBlank()) {
			throw invalid("migrations.tenants.query", tenants.getQuery(),
					"migrations.tenants.schemas is set too, and the tenants come from one source: keep the query "
							+ "(tenants listed in a table) or the fixed list, not both.");
		}
		for (String schema : tenants.getSchemas()) {
			if (schema == null || schema.isBlank()) {
				throw invalid("migrations.tenants.schemas", String.join(",", tenants.getSchemas()),
						"It lists an empty schema name: list each tenant's schema, separated by commas.");
			}
		}
		checkTenantDatabases(tenants);
		if (tenants.getParallelism() < 1) {
			throw invalid("migrations.tenants.parallelism", tenants.getParallelism(),
					"It must be at least 1 (the default): the number of tenants migrated at once.");
		}
		if (tenants.getLocations().isEmpty()) {
			throw invalid("migrations.tenants.locations", "",
					"It must name where the tenant migrations are, such as classpath:db/tenant (the default).");
		}
		if (!tenants.getSchemas().isEmpty()) {
			for (String canary : tenants.getCanary()) {
				if (!tenants.getSchemas().contains(canary)) {
					throw invalid("migrations.tenants.canary", String.join(",", tenants.getCanary()),
							"'" + canary + "' is not one of migrations.tenants.schemas: name tenants that exist.");
				}
			}
		}
		if (!tenants.getDatabases().isEmpty()) {
			for (String canary : tenants.getCanary()) {
				if (!tenants.getDatabases().containsKey(canary)) {
					throw invalid("migrations.tenants.canary", String.join(",", tenants.getCanary()),
							"'" + canary + "' is not one of migrations.tenants.databases: name tenants that exist.");
				}
			}
		}
	}

	/**
	 * The tenant databases: one source of tenants, and each with a URL. The value shown
	 * is never a password (nor a URL, which may hold one).
	 */
	private void checkTenantDatabases(MigrationsProperties.Tenants tenants) {
		if (tenants.getDatabases().isEmpty()) {
			return;
		}
		if (!tenants.getSchemas().isEmpty()) {
			throw invalid("migrations.tenants.schemas", String.join(",", tenants.getSchemas()),
					"migrations.tenants.databases is set too, and the tenants come from one source: keep the "
							+ "databases (a database per tenant) or the schemas (a schema per tenant), not both. For "
							+ "both at once, define a TenantSource bean.");
		}
		if (tenants.getQuery() != null && !tenants.getQuery().isBlank()) {
			throw invalid("migrations.tenants.query", tenants.getQuery(),
					"migrations.tenants.databases is set too, and the tenants come from one source: keep the "
							+ "databases (a database per tenant) or the query (schemas listed in a table), not both.");
		}
		tenants.getDatabases().forEach((tenant, database) -> {
			String prefix = "migrations.tenants.databases." + tenant;
			if (database.getUrl() == null || database.getUrl().isBlank()) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".url", "",
						"Tenant '" + tenant + "' has no database URL: set " + prefix
								+ ".url to its JDBC URL, such as jdbc:postgresql://db:5432/" + tenant
								+ ", with its username and password.");
			}
			if (!database.getUrl().startsWith("jdbc:")) {
				throw new InvalidConfigurationPropertyValueException(prefix + ".url", "(not shown: it may hold a password)",
						"It must be a JDBC URL, starting with jdbc:, such as jdbc:postgresql://db:5432/" + tenant + ".");
			}
			if (database.getSchema() != null && database.getSchema().isBlank()) {
				throw invalid(prefix + ".schema", "",
						"It must name a schema, or be left out for the default schema of the connection.");
			}
		});
	}

	private void checkMode() {
		String target = this.properties.getRollback().getTarget();
		if (this.properties.getMode() == MigrationMode.ROLLBACK && target == null) {
			throw invalid("migrations.mode", "rollback",
					"migrations.mode=rollback rolls back to migrations.rollback.target, which is not set. Set "
							+ "migrations.rollback.target to an applied version (such as 2 or 1.1) or to 'base' to undo "
							+ "every version; migrations.mode=plan with the same target shows what the rollback would do.");
		}
	}

	private void checkBackup(MigrationsProperties.Backup backup) {
		positive("migrations.backup.timeout", backup.getTimeout(),
				"It must be a positive duration, such as 30m (the default): pg_dump is stopped after it and the "
						+ "backup counts as failed.");
		atLeastOneMillisecond("migrations.backup.progress-interval", backup.getProgressInterval(),
				"It must be at least 1ms, such as 5s (the default): a progress line is logged after each interval "
						+ "while a backup runs.");
		checkJobs(backup);
		if (backup.getRetention().getKeepLast() < 1) {
			throw invalid("migrations.backup.retention.keep-last", backup.getRetention().getKeepLast(),
					"It must be at least 1, since the backup just taken is always kept; to take no backups, set "
							+ "migrations.backup.strategy=none.");
		}
		if (backup.getRetention().getKeepLastOnRequest() < 1) {
			throw invalid("migrations.backup.retention.keep-last-on-request",
					backup.getRetention().getKeepLastOnRequest(),
					"It must be at least 1, since the backup just taken is always kept, such as 5 (the default).");
		}
	}

	private void checkJobs(MigrationsProperties.Backup backup) {
		if (backup.getJobs() < 1) {
			throw invalid("migrations.backup.jobs", backup.getJobs(),
					"It must be at least 1 (the default): the number of tables pg_dump dumps at once.");
		}
		if (backup.getJobs() > 1 && backup.getFormat() != PgDumpFormat.DIRECTORY) {
			throw invalid("migrations.backup.jobs", backup.getJobs(),
					"pg_dump dumps in parallel only in the directory format, and migrations.backup.format is '"
							+ backup.getFormat().option() + "'. Set migrations.backup.format=directory to back up with "
							+ backup.getJobs() + " jobs (pg_dump then opens " + (backup.getJobs() + 1)
							+ " connections), or remove migrations.backup.jobs.");
		}
	}

	private void checkWriteRole(@Nullable String writeRole) {
		// Empty is documented: no role is needed. Blank is not: the endpoint would read it
		// as empty and leave the write operations open without anyone having said so.
		if (writeRole != null && !writeRole.isEmpty() && (writeRole.isBlank() || !writeRole.equals(writeRole.strip()))) {
			throw invalid("migrations.endpoint.write-role", writeRole,
					"It must be a role name without spaces around it, such as MIGRATIONS_ADMIN (the default), or "
							+ "empty to let anyone who can reach the write operations use them. Spaces alone would open "
							+ "them without saying so, and spaces around a name match no user's role.");
		}
	}

	private void checkUndoPrefix(@Nullable String prefix) {
		String name = "migrations.rollback.undo-prefix";
		if (prefix == null || prefix.isEmpty()) {
			throw invalid(name, prefix, "It must not be empty: undo scripts are found by their prefix, such as U "
					+ "(the default) in U2__add_phone.sql.");
		}
		if (!UNDO_PREFIX.matcher(prefix).matches()) {
			throw invalid(name, prefix,
					"It must start with a letter and hold only letters, digits, '-' and '_', such as U (the default) "
							+ "or Undo: it starts the file names of undo scripts and the pattern they are looked for with.");
		}
		String separator = flywayProperty("sql-migration-separator", "__");
		if (!separator.isEmpty() && prefix.contains(separator)) {
			throw invalid(name, prefix,
					"It must not contain Flyway's separator '" + separator + "' (spring.flyway.sql-migration-separator), "
							+ "which ends the version in a script name such as U2" + separator
							+ "add_phone.sql. Use U, the default.");
		}
		if (Character.isDigit(prefix.codePointAt(prefix.length() - 1))) {
			throw invalid(name, prefix, "It must not end with a digit, since the version follows it: with "
					+ prefix + ", " + prefix + "2" + separator + "add_phone.sql would not read as the undo of version 2. "
					+ "Use U, the default.");
		}
		Map<String, String> flywayPrefixes = flywayPrefixes();
		// Case does not tell scripts apart on case-insensitive file systems (macOS,
		// Windows), nor to a reader.
		if (flywayPrefixes.keySet().stream().anyMatch(prefix::equalsIgnoreCase)) {
			throw invalid(name, prefix, "It must differ, in any case, from Flyway's own prefixes: "
					+ String.join(", ", flywayPrefixes.values()) + ". Otherwise undo scripts and Flyway's migrations "
					+ "share their names: a rollback would run migrations as undo scripts, and Flyway undo scripts "
					+ "as migrations. Use U, the default.");
		}
	}

	private void checkTarget() {
		MigrationMode mode = this.properties.getMode();
		String target = this.properties.getRollback().getTarget();
		// Only the modes that read the target check it; the others ignore it.
		if (target == null || (mode != MigrationMode.ROLLBACK && mode != MigrationMode.PLAN)) {
			return;
		}
		String given = target.strip();
		if (!BASE.equalsIgnoreCase(given) && !VERSION.matcher(given).matches()) {
			throw invalid("migrations.rollback.target", target,
					"It must be an applied version, such as 2 or 1.1, or 'base' to undo every version"
							+ ((mode == MigrationMode.PLAN) ? "; remove it to plan the pending migrations instead." : "."));
		}
	}

	/**
	 * Return Flyway's file name prefixes, each with where it comes from: the versioned and
	 * repeatable prefixes as {@code spring.flyway.*} sets them, and that of baseline
	 * migrations, which Spring Boot 4.0 does not configure ({@code B} unless a
	 * {@code spring.flyway.baseline-migration-prefix} is set all the same).
	 */
	private Map<String, String> flywayPrefixes() {
		Map<String, String> prefixes = new LinkedHashMap<>();
		String versioned = flywayProperty("sql-migration-prefix", "V");
		String repeatable = flywayProperty("repeatable-sql-migration-prefix", "R");
		String baseline = flywayProperty("baseline-migration-prefix", "B");
		prefixes.put(versioned, versioned + " (versioned migrations, spring.flyway.sql-migration-prefix)");
		prefixes.putIfAbsent(repeatable,
				repeatable + " (repeatable migrations, spring.flyway.repeatable-sql-migration-prefix)");
		prefixes.putIfAbsent(baseline, baseline + " (baseline migrations)");
		return prefixes;
	}

	private String flywayProperty(String name, String defaultValue) {
		return this.binder.bind("spring.flyway." + name, String.class).orElse(defaultValue);
	}

	private void positive(String name, @Nullable Duration value, String reason) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(name, value, reason);
		}
	}

	private void atLeastOneMillisecond(String name, @Nullable Duration value, String reason) {
		if (value == null || value.compareTo(ONE_MILLISECOND) < 0) {
			throw invalid(name, value, reason);
		}
	}

	/**
	 * Return the exception Boot's failure analysis prints, with the value as it was
	 * written ({@code 500us}, not {@code PT0.0005S}) where the environment has it.
	 */
	private InvalidConfigurationPropertyValueException invalid(String name, @Nullable Object value, String reason) {
		Object written = this.binder.bind(name, String.class).map(Object.class::cast).orElse(value);
		return new InvalidConfigurationPropertyValueException(name, written, reason);
	}

}
