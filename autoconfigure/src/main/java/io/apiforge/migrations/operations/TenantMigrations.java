package io.apiforge.migrations.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.jdbc.PoolSize;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.SchemaSnapshot;
import io.apiforge.migrations.tenants.Tenant;
import io.apiforge.migrations.tenants.TenantBackupStrategies;
import io.apiforge.migrations.tenants.TenantFailurePolicy;
import io.apiforge.migrations.tenants.TenantFanOutResult;
import io.apiforge.migrations.tenants.TenantMigrationException;
import io.apiforge.migrations.tenants.TenantMigrationSettings;
import io.apiforge.migrations.tenants.TenantSource;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * Migrates tenants, each through the same {@link LockedRun} template as the application's
 * own schema: its own lock (named after its own schema history table), its own
 * inspection before and under the lock, its own backup of its own schema, the migration,
 * and its own record in the {@link TenantStatuses} (never in the application's status,
 * never in its events or meters). The lint checks each shared script once, not once per
 * tenant, and a fan-out scans the tenant locations once, not once per Flyway command of
 * each tenant ({@link TenantScripts}).
 * <p>
 * A {@link #migrateAll() fan-out} lists the tenants, migrates the canaries first, then
 * the rest, at most {@code parallelism} at once; after a failure no new tenant starts
 * (unless {@link TenantFailurePolicy#CONTINUE}), and after a canary's failure none does.
 * Each migration is its own transaction, so a fan-out that dies half-way leaves each
 * tenant migrated or untouched, and the next resumes with those still pending. Instances
 * that fan out at once migrate each tenant once: the second to take a tenant's lock finds
 * nothing pending under it.
 * <p>
 * {@link #migrate(String)} onboards one tenant at run time the same way.
 *
 * @author apiforge
 */
public class TenantMigrations {

	private static final Log logger = LogFactory.getLog(TenantMigrations.class);

	/** The name of the fan-out's threads, followed by a number. */
	public static final String THREAD_NAME = "migrations-tenant-";

	/**
	 * The connections of the pool one tenant's run holds at once: Flyway's two (its
	 * history table and the migration).
	 */
	static final int FLYWAY_CONNECTIONS = 2;

	/** Tenant runs publish no application events: those are the application's own. */
	private static final ApplicationEventPublisher NO_EVENTS = (event) -> {
	};

	/** How many failed tenants an exception names one by one. */
	private static final int NAMED_FAILURES = 10;

	private final Flyway flyway;

	private final LockedRun runs;

	private final TenantSource source;

	private final TenantStatuses statuses;

	private final TenantBackupStrategies backups;

	private final PendingMigrationsCheck lint;

	private final TenantMigrationSettings settings;

	private final Clock clock;

	/**
	 * Create the tenants' migrations.
	 * @param flyway the application's Flyway instance, whose configuration each tenant's
	 * starts from
	 * @param runs the template the application's own runs go through
	 * @param source lists the tenants
	 * @param statuses receives each tenant's status
	 * @param backups gives each tenant its backup strategy
	 * @param lint the check of pending tenant migrations, run once per script, or
	 * {@code null} when the lint is off
	 * @param settings how tenants are migrated
	 * @param clock the clock that stamps statuses
	 */
	public TenantMigrations(Flyway flyway, LockedRun runs, TenantSource source, TenantStatuses statuses,
			TenantBackupStrategies backups, @Nullable PendingMigrationsCheck lint, TenantMigrationSettings settings,
			Clock clock) {
		Assert.notNull(flyway, "'flyway' must not be null");
		Assert.notNull(runs, "'runs' must not be null");
		Assert.notNull(source, "'source' must not be null");
		Assert.notNull(statuses, "'statuses' must not be null");
		Assert.notNull(backups, "'backups' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.flyway = flyway;
		this.runs = runs;
		this.source = source;
		this.statuses = statuses;
		this.backups = backups;
		this.lint = (lint != null) ? lint : PendingMigrationsCheck.NONE;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Check at start-up that the pools can serve the tenant runs: the application's, for
	 * {@code parallelism} runs of schema tenants at once, and each tenant database's (when
	 * the source {@linkplain TenantSource#isFixed() knows its tenants}), for one run. Each
	 * run holds Flyway's connections and, when the lock cannot open a connection of its
	 * own, the lock's.
	 * @throws MigrationsException when one cannot
	 */
	public void checkPrerequisites() {
		DataSource application = this.flyway.getConfiguration().getDataSource();
		if (!this.source.isFixed()) {
			// Tenants listed by a query, or a source of the user's: they may be schemas.
			checkPool(application, this.settings.parallelism(), null);
			return;
		}
		List<Tenant> tenants = this.source.tenants();
		if (tenants.stream().anyMatch((tenant) -> tenant.dataSource() == null)) {
			checkPool(application, this.settings.parallelism(), null);
		}
		// A tenant database serves one run at a time, whatever the parallelism.
		tenants.stream()
			.filter((tenant) -> tenant.dataSource() != null)
			.forEach((tenant) -> checkPool(tenant.dataSource(), 1, tenant));
	}

	private void checkPool(DataSource dataSource, int runs, @Nullable Tenant tenant) {
		String pool = (tenant != null) ? "the connection pool of tenant " + tenant.name() : "the pool";
		if (tenant != null) {
			this.runs.checkLock(dataSource);
		}
		OptionalInt poolSize = PoolSize.maximumOf(dataSource);
		if (poolSize.isEmpty()) {
			logger.debug("The size of " + pool + " cannot be read; it is not checked");
			return;
		}
		int perRun = FLYWAY_CONNECTIONS + this.runs.lockConnectionsFromPool(dataSource);
		int needed = runs * perRun;
		if (needed <= poolSize.getAsInt()) {
			return;
		}
		String held = perRun + ((tenant != null) ? " of its connections" : " of the pool's connections")
				+ " (Flyway's two"
				+ ((perRun > FLYWAY_CONNECTIONS) ? ", and the lock's, which cannot open one of its own" : "") + ")";
		if (tenant != null) {
			throw new MigrationsException("A run of tenant " + tenant.name() + " holds " + held
					+ ", and its database's pool has " + poolSize.getAsInt() + ": the run would wait on its own connections.",
					"Raise the maximum size of tenant " + tenant.name() + "'s connection pool to at least " + needed
							+ " (the DataSource of the TenantSource), or configure it with a JDBC URL, username and "
							+ "password so that the lock opens a connection of its own.",
					null);
		}
		int fits = poolSize.getAsInt() / perRun;
		throw new MigrationsException("migrations.tenants.parallelism=" + this.settings.parallelism()
				+ " migrates that many tenants at once, each holding " + held + ", so it needs " + needed
				+ ", and the pool has " + poolSize.getAsInt() + ": the runs would wait on each other's connections.",
				((fits >= 1) ? "Set migrations.tenants.parallelism to " + fits + " or less, or raise" : "Raise")
						+ " the pool's maximum size (spring.datasource.hikari.maximum-pool-size) to at least " + needed
						+ ".",
				null);
	}

	/**
	 * Return the tenants' statuses.
	 * @return the registry
	 */
	public TenantStatuses statuses() {
		return this.statuses;
	}

	/**
	 * Migrate every tenant the source lists: canaries first, then the rest, each through
	 * the locked run; every outcome is recorded.
	 * @return what the fan-out did; it never throws for a tenant's failure, which is in
	 * the result
	 * @throws MigrationsException when the tenants could not be listed, a canary is not
	 * one of them, or the tenant locations could not be scanned; no tenant was migrated
	 */
	public TenantFanOutResult migrateAll() {
		long start = System.nanoTime();
		List<Tenant> tenants = this.source.tenants();
		this.statuses.listed(tenants);
		Map<String, Tenant> byName = new LinkedHashMap<>();
		tenants.forEach((tenant) -> byName.put(tenant.name(), tenant));
		List<Tenant> canaries = new ArrayList<>();
		for (String name : this.settings.canary()) {
			Tenant canary = byName.remove(name);
			if (canary == null) {
				throw new MigrationsException("migrations.tenants.canary names '" + name + "', which is not one of the "
						+ tenants.size() + " tenants " + this.source.describe() + " lists; no tenant was migrated.",
						"Name tenants that exist in migrations.tenants.canary, or remove it.", null);
			}
			canaries.add(canary);
		}
		TenantScripts scripts = scanScripts();
		logger.info("Migrating " + tenants.size() + " tenant(s) from " + this.source.describe() + ", "
				+ this.settings.parallelism() + " at once"
				+ (canaries.isEmpty() ? "" : ", canaries first: " + canaries) + ".");
		FanOut fanOut = new FanOut(new OncePerScriptCheck(this.lint), scripts);
		List<TenantStatus> outcomes = new ArrayList<>(fanOut.run(canaries, true));
		outcomes.addAll(fanOut.run(List.copyOf(byName.values()), false));
		TenantFanOutResult result = new TenantFanOutResult(outcomes, Duration.ofNanos(System.nanoTime() - start),
				this.settings.parallelism());
		log(result);
		return result;
	}

	/**
	 * Migrate every tenant at start-up, after the application's own schema, and fail the
	 * start-up like a failed migration when a tenant failed or was skipped.
	 * @return what the fan-out did
	 * @throws TenantMigrationException naming the tenants that failed, with their errors
	 */
	TenantFanOutResult migrateOnStartUp() {
		TenantFanOutResult result = migrateAll();
		if (!result.isSuccess()) {
			throw failure(result);
		}
		return result;
	}

	/**
	 * Onboard a schema tenant at run time: create its schema when it is missing, migrate
	 * it the same way as a fan-out does (lock, inspect, back up, migrate, record).
	 * @param schema the tenant's schema, exactly as it is to be in the catalog (no
	 * quotes); also its name
	 * @return its status, {@link TenantState#MIGRATED} or {@link TenantState#UP_TO_DATE}
	 * @throws TenantMigrationException when it failed; its status is recorded
	 */
	public TenantStatus migrate(String schema) {
		return migrate(Tenant.ofSchema(schema));
	}

	/**
	 * Onboard a tenant at run time: create its schema when it is missing, migrate it the
	 * same way as a fan-out does (lock, inspect, back up, migrate, record).
	 * @param tenant the tenant
	 * @return its status, {@link TenantState#MIGRATED} or {@link TenantState#UP_TO_DATE}
	 * @throws TenantMigrationException when it failed; its status is recorded
	 */
	public TenantStatus migrate(Tenant tenant) {
		Assert.notNull(tenant, "'tenant' must not be null");
		this.statuses.listed(List.of(tenant));
		TenantStatus status;
		try {
			createSchema(tenant);
			status = run(tenant, new OncePerScriptCheck(this.lint), scanScripts());
		}
		catch (MigrationsException ex) {
			status = failed(tenant, this.clock.instant(), ex.getMessage());
			this.statuses.record(status);
		}
		if (!status.state().isCurrent()) {
			throw new TenantMigrationException("Tenant " + tenant.name() + " was not migrated: " + status.error(),
					"Fix the cause, then call TenantMigrations.migrate again: what was applied stays applied, and the "
							+ "rest is still pending.",
					List.of(status), null);
		}
		return status;
	}

	private void createSchema(Tenant tenant) {
		if (tenant.schema() == null) {
			return;
		}
		try (Connection connection = dataSourceOf(tenant).getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(tenant.schema()));
		}
		catch (SQLException ex) {
			throw new MigrationsException(
					"Could not create the schema of tenant " + tenant.name() + ": " + ex.getMessage(),
					"Check that the database user may create schemas (GRANT CREATE ON DATABASE), or create the schema "
							+ "first.",
					ex);
		}
	}

	/**
	 * Migrate one tenant through the locked run, recording it as it goes.
	 */
	private TenantStatus run(Tenant tenant, PendingMigrationsCheck lint, TenantScripts scripts) {
		Instant startedAt = this.clock.instant();
		this.statuses.started(tenant.name(), startedAt);
		MigrationStatusHolder status = new MigrationStatusHolder(this.clock);
		TenantStatus outcome;
		try {
			Flyway flyway = flywayFor(tenant, scripts);
			LockedRun runs = this.runs.recordingInto(status, this.backups.forTenant(tenant), NO_EVENTS);
			// A fresh tenant's schema is empty: not linted, and (the skip comes before the
			// once-per-script verdicts) its scripts are still linted for the next tenant
			// that has tables.
			PendingMigrationsCheck check = (this.lint != PendingMigrationsCheck.NONE) ? new LintUnlessEmptyDatabase(lint)
					: PendingMigrationsCheck.NONE;
			runs.execute(flyway, new MigrateOperation(historyOf(tenant, flyway), check, Flyway::migrate));
			outcome = statusOf(tenant, status.current(), null);
		}
		catch (MigrationsException ex) {
			// Recorded and logged by the run, naming the tenant's history table.
			outcome = statusOf(tenant, status.current(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("Tenant " + tenant.name() + " failed unexpectedly", ex);
			outcome = failed(tenant, startedAt, ex.toString());
		}
		finally {
			this.source.released(tenant);
		}
		this.statuses.record(outcome);
		return outcome;
	}

	/**
	 * The tenant's history table as the run's log names it: a database tenant's table is
	 * not qualified by the tenant's name, so the log says whose it is.
	 */
	private static String historyOf(Tenant tenant, Flyway flyway) {
		String table = LockedRun.lockName(flyway.getConfiguration());
		return (tenant.dataSource() != null) ? table + " of tenant " + tenant.name() : table;
	}

	/**
	 * Build a tenant's Flyway from the application's configuration: the same settings,
	 * the tenant's schema (its history table in it; for a database tenant without one,
	 * its connections' default schema) and data source, the tenant
	 * locations; not the application's Java migrations, nor the callback that reports
	 * the application's progress.
	 */
	Flyway flywayFor(Tenant tenant) {
		return flywayFor(tenant, scanScripts());
	}

	/**
	 * Build a tenant's Flyway with the scripts its fan-out scanned.
	 */
	private Flyway flywayFor(Tenant tenant, TenantScripts scripts) {
		FluentConfiguration configuration = scripts.applyTo(tenantConfiguration().dataSource(dataSourceOf(tenant)));
		if (tenant.schema() != null) {
			configuration.schemas(tenant.schema()).defaultSchema(tenant.schema());
		}
		else {
			// A database of its own: the default schema of its connections, not the
			// application's spring.flyway.schemas.
			configuration.schemas().defaultSchema(null);
		}
		return configuration.load();
	}

	/**
	 * Scan the tenant locations once, for every tenant of a fan-out.
	 */
	private TenantScripts scanScripts() {
		return TenantScripts.scan(tenantConfiguration());
	}

	/**
	 * What every tenant's configuration shares: the application's, with the tenant
	 * locations, without its Java migrations and its progress callback.
	 */
	private FluentConfiguration tenantConfiguration() {
		Configuration main = this.flyway.getConfiguration();
		Callback[] callbacks = Arrays.stream(main.getCallbacks())
			.filter((callback) -> !(callback instanceof MigrationProgressCustomizer.ProgressCallback))
			.toArray(Callback[]::new);
		return Flyway.configure(main.getClassLoader())
			.configuration(main)
			.locations(this.settings.locations().toArray(String[]::new))
			.javaMigrations(new JavaMigration[0])
			.callbacks(callbacks);
	}

	private DataSource dataSourceOf(Tenant tenant) {
		return (tenant.dataSource() != null) ? tenant.dataSource() : this.flyway.getConfiguration().getDataSource();
	}

	private TenantStatus statusOf(Tenant tenant, MigrationStatus status, @Nullable String failure) {
		MigrationRun run = status.lastRun();
		SchemaSnapshot schema = status.schema();
		if (run == null) {
			return failed(tenant, this.clock.instant(), (failure != null) ? failure : "no run was recorded");
		}
		TenantState state = switch (run.outcome()) {
			case MIGRATED -> TenantState.MIGRATED;
			case UP_TO_DATE -> TenantState.UP_TO_DATE;
			default -> TenantState.FAILED;
		};
		String error = (state == TenantState.FAILED) ? ((run.error() != null) ? run.error() : failure) : null;
		return new TenantStatus(tenant.name(), state, schema.currentVersion(), schema.expectedVersion(),
				schema.pending().size(), run.executed().size(), run.startedAt(), run.finishedAt(), run.lockWait(),
				run.backup(), error);
	}

	private TenantStatus failed(Tenant tenant, Instant startedAt, @Nullable String error) {
		return new TenantStatus(tenant.name(), TenantState.FAILED, null, null, 0, 0, startedAt, this.clock.instant(),
				null, null, error);
	}

	private TenantMigrationException failure(TenantFanOutResult result) {
		List<TenantStatus> failed = result.failed();
		int skipped = result.inState(TenantState.SKIPPED).size();
		StringBuilder message = new StringBuilder().append(failed.size())
			.append(" of ")
			.append(result.tenants().size())
			.append(" tenant(s) failed")
			.append((skipped > 0) ? " and " + skipped + " were not started" : "")
			.append(":");
		failed.stream()
			.limit(NAMED_FAILURES)
			.forEach((tenant) -> message.append("\n  - ").append(tenant.tenant()).append(": ").append(tenant.error()));
		if (failed.size() > NAMED_FAILURES) {
			message.append("\n  - and ").append(failed.size() - NAMED_FAILURES).append(" more");
		}
		return new TenantMigrationException(message.toString(),
				"Fix the failed tenants' migrations (the errors above, and the log of each tenant's run), then start "
						+ "again: the tenants already migrated are up to date, and the others are still pending. "
						+ "migrations.tenants.on-failure=continue migrates the other tenants despite a failure.",
				failed, null);
	}

	private void log(TenantFanOutResult result) {
		Map<TenantState, Long> counts = result.counts();
		String line = "Tenants: " + result.tenants().size() + " in " + DurationFormat.format(result.duration()) + " ("
				+ result.parallelism() + " at once): "
				+ counts.entrySet()
					.stream()
					.map((entry) -> entry.getValue() + " " + entry.getKey().name().toLowerCase(java.util.Locale.ROOT))
					.collect(Collectors.joining(", "))
				+ ".";
		if (result.isSuccess()) {
			logger.info(line);
		}
		else {
			logger.error(line + " Failed: "
					+ result.failed().stream().map(TenantStatus::tenant).limit(NAMED_FAILURES).toList());
		}
	}

	/**
	 * One fan-out: the lint verdicts and the scanned scripts its tenants share, and
	 * whether it must stop.
	 */
	private final class FanOut {

		private final PendingMigrationsCheck lint;

		private final TenantScripts scripts;

		private final AtomicReference<@Nullable String> stopped = new AtomicReference<>();

		FanOut(PendingMigrationsCheck lint, TenantScripts scripts) {
			this.lint = lint;
			this.scripts = scripts;
		}

		/**
		 * Run a batch, at most {@code parallelism} at once, in order; a tenant not
		 * started once the fan-out stopped is skipped.
		 * @param tenants the batch
		 * @param canaries whether they are the canaries, whose failure always stops
		 * @return each tenant's status, in the batch's order
		 */
		List<TenantStatus> run(List<Tenant> tenants, boolean canaries) {
			if (tenants.isEmpty()) {
				return List.of();
			}
			int threads = Math.min(TenantMigrations.this.settings.parallelism(), tenants.size());
			ExecutorService executor = Executors.newFixedThreadPool(threads, new FanOutThreads());
			try {
				List<Future<TenantStatus>> futures = new ArrayList<>();
				for (Tenant tenant : tenants) {
					futures.add(executor.submit(() -> runOrSkip(tenant, canaries)));
				}
				List<TenantStatus> outcomes = new ArrayList<>();
				for (Future<TenantStatus> future : futures) {
					outcomes.add(await(future));
				}
				return outcomes;
			}
			finally {
				executor.shutdownNow();
			}
		}

		private TenantStatus runOrSkip(Tenant tenant, boolean canary) {
			String stoppedBy = this.stopped.get();
			if (stoppedBy != null) {
				TenantMigrations.this.statuses.skipped(tenant.name(), stoppedBy, TenantMigrations.this.clock.instant());
				return TenantMigrations.this.statuses.get(tenant.name());
			}
			TenantStatus outcome = TenantMigrations.this.run(tenant, this.lint, this.scripts);
			if (outcome.state() == TenantState.FAILED) {
				if (canary) {
					this.stopped.compareAndSet(null, "not started: canary tenant " + tenant.name() + " failed");
				}
				else if (TenantMigrations.this.settings.onFailure() == TenantFailurePolicy.STOP) {
					this.stopped.compareAndSet(null, "not started: tenant " + tenant.name()
							+ " failed and migrations.tenants.on-failure=stop");
				}
			}
			return outcome;
		}

		private TenantStatus await(Future<TenantStatus> future) {
			try {
				return future.get();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new MigrationsException("Interrupted while migrating tenants",
						"The application is shutting down; start it again: the tenants not migrated are still pending.",
						ex);
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("A tenant's run escaped its own failure handling", ex.getCause());
			}
		}

	}

	private static final class FanOutThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable runnable) {
			Thread thread = new Thread(runnable, THREAD_NAME + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
