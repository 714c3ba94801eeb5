package io.apiforge.migrations.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.jdbc.Relations;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.replicas.Replica;
import io.apiforge.migrations.replicas.ReplicaRegistry;
import io.apiforge.migrations.scripts.MigrationScripts;
import io.apiforge.migrations.status.ContractStatus;
import io.apiforge.migrations.status.ContractStatusHolder;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * The contract migrations ({@code migrations.contract.locations}): Flyway versioned SQL
 * migrations with a history table of their own beside the application's, each of which
 * may run only once no live replica (nor external consumer) still expects a schema
 * older than the expand version it requires. Until then it waits, a state shown in the
 * status and logged once when it changes. It runs once at start-up after the expand
 * migration, then at each periodic check on the daemon thread {@value #THREAD_NAME},
 * under the application's migration lock, with the gate checked again under it and a
 * backup first. The migrations that may run are linted before the lock, like the
 * application's, except that the statements a contract migration is for (dropping or
 * renaming a column or table, changing a column's type) are expected there.
 *
 * @author apiforge
 */
public class ContractMigrations implements SmartInitializingSingleton, SmartLifecycle {

	/** The name of the thread of the periodic check. */
	public static final String THREAD_NAME = "migrations-contract";

	private static final Log logger = LogFactory.getLog(ContractMigrations.class);

	private static final Pattern REQUIRES = Pattern.compile("^\\s*--\\s*migrations:requires\\s+(\\S+)",
			Pattern.MULTILINE);

	private static final ApplicationEventPublisher NO_EVENTS = (event) -> {
	};

	private static final String FORCE = "POST /actuator/migrations/contract with {\"force\": true}";

	private final Flyway flyway;

	private final Flyway contract;

	private final LockedRun runs;

	private final ContractStatusHolder status;

	private final ReplicaRegistry replicas;

	private final Map<String, String> external;

	private final MigrationScripts scripts;

	private final boolean runAtStartUp;

	private final boolean failStartUp;

	private final Duration checkInterval;

	private final Clock clock;

	private final PendingMigrationsCheck lint;

	private final Object monitor = new Object();

	private @Nullable String lastLogged;

	private volatile boolean historyExists;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Create the contract migrations.
	 * @param flyway the application's Flyway, whose configuration the contract's copies
	 * @param locations where the contract scripts are ({@code migrations.contract.locations})
	 * @param runs the application's run template
	 * @param backupStrategy takes the backup before a contract run
	 * @param status receives the contract's state
	 * @param replicas the registry whose live instances are waited for
	 * @param external consumers that do not heartbeat, by name, with the schema version
	 * they still expect
	 * @param runAtStartUp whether to run once when the context has started (after the
	 * expand migration)
	 * @param failStartUp whether a failed start-up run fails the start-up (a Job in
	 * {@code migrate-and-exit} mode, whose exit code is all an orchestrator sees); otherwise
	 * it is recorded and logged, and the application serves on the expand schema
	 * @param checkInterval how often to check again, {@link Duration#ZERO} for never
	 * @param lint the check of the contract migrations that may run, before the lock
	 * and the backup (the lint, expecting the
	 * {@link io.apiforge.migrations.lint.LintRule#contractRules() contract rules}), run
	 * once per script; or {@code null} when the lint is off
	 */
	public ContractMigrations(Flyway flyway, List<String> locations, LockedRun runs, BackupStrategy backupStrategy,
			ContractStatusHolder status, ReplicaRegistry replicas, Map<String, String> external, boolean runAtStartUp,
			boolean failStartUp, Duration checkInterval, @Nullable PendingMigrationsCheck lint) {
		Assert.notNull(flyway, "'flyway' must not be null");
		Assert.notEmpty(locations, "'locations' must not be empty");
		Assert.notNull(runs, "'runs' must not be null");
		Assert.notNull(backupStrategy, "'backupStrategy' must not be null");
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(replicas, "'replicas' must not be null");
		Assert.notNull(external, "'external' must not be null");
		Assert.notNull(checkInterval, "'checkInterval' must not be null");
		this.flyway = flyway;
		this.contract = flywayFor(flyway.getConfiguration(), locations);
		this.clock = runs.clock();
		this.runs = runs.lockingAs(new MigrationStatusHolder(this.clock), backupStrategy, NO_EVENTS,
				LockedRun.lockName(flyway.getConfiguration()));
		this.status = status;
		this.replicas = replicas;
		this.external = new LinkedHashMap<>(external);
		this.scripts = new MigrationScripts(this.contract.getConfiguration().getLocations(),
				this.contract.getConfiguration().getClassLoader());
		this.runAtStartUp = runAtStartUp;
		this.failStartUp = failStartUp;
		this.checkInterval = checkInterval;
		// Once per script: a periodic check does not lint (nor log) the same script
		// again, and a script the lint refused stays refused, forced or not.
		this.lint = new OncePerScriptCheck((lint != null) ? lint : PendingMigrationsCheck.NONE);
	}

	/**
	 * Build the contract's Flyway from the application's configuration: the same
	 * settings, schema and data source; the contract locations, its own history table,
	 * no Java migrations, nor the callback that reports the application's progress; a
	 * baseline at version 0, because the schema is not empty when it first runs.
	 */
	private static Flyway flywayFor(Configuration main, List<String> locations) {
		Callback[] callbacks = Arrays.stream(main.getCallbacks())
			.filter((callback) -> !(callback instanceof MigrationProgressCustomizer.ProgressCallback))
			.toArray(Callback[]::new);
		return Flyway.configure(main.getClassLoader())
			.configuration(main)
			.locations(locations.toArray(String[]::new))
			.javaMigrations(new JavaMigration[0])
			.callbacks(callbacks)
			.table(main.getTable() + SchemaHistory.CONTRACT_SUFFIX)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.target(MigrationVersion.LATEST)
			.load();
	}

	/**
	 * Return the contract's history table, qualified by its schema when one is
	 * configured.
	 * @return the table
	 */
	public String historyTable() {
		return SchemaHistory.tableOf(this.contract.getConfiguration());
	}

	/**
	 * Return the contract's locations.
	 * @return the locations
	 */
	public List<String> locations() {
		return Arrays.stream(this.contract.getConfiguration().getLocations()).map(Location::getDescriptor).toList();
	}

	/**
	 * Check the gate and apply the contract migrations whose gate is open, in order, up
	 * to the first that must wait. Never throws: a failure is recorded and logged.
	 * @return the status after the check
	 */
	public ContractStatus check() {
		try {
			return run(null);
		}
		catch (RuntimeException ex) {
			return this.status.current();
		}
	}

	/**
	 * Apply every pending contract migration now, whatever instances still expect an
	 * older schema, on an operator's word: logged as a warning naming who.
	 * @param who who forces it
	 * @return the status after the run
	 * @throws MigrationsException when the run failed or the lock was not free in time
	 */
	public ContractStatus force(String who) {
		Assert.hasText(who, "'who' must not be empty");
		return run(who);
	}

	/**
	 * Return the contract's state.
	 * @return the latest status
	 */
	public ContractStatus status() {
		return this.status.current();
	}

	private ContractStatus run(@Nullable String forcedBy) {
		synchronized (this.monitor) {
			Instant forcedAt = (forcedBy != null) ? this.clock.instant() : null;
			if (forcedBy == null) {
				// Cheap first look: only a contract whose gate is open takes the lock (and
				// logs a run); the gate is checked again under it.
				Plan plan;
				try {
					plan = plan(inspect(), false);
				}
				catch (RuntimeException ex) {
					return failed(ex, null, null);
				}
				if (plan.runnable().isEmpty()) {
					return record(plan, previousRun(), null, null, null);
				}
			}
			else {
				logger.warn("Contract migrations forced by " + forcedBy + ": the pending contract migrations run now, "
						+ "whatever instances still expect an older schema.");
			}
			ContractOperation operation = new ContractOperation(this, historyTable(), forcedBy != null, this.lint);
			try {
				MigrationRun run = this.runs.execute(this.contract, operation);
				Plan after = plan(inspect(), false);
				if (run.outcome() != RunOutcome.MIGRATED) {
					return record(after, previousRun(), forcedBy, forcedAt, null);
				}
				return record(after, run, forcedBy, forcedAt, null);
			}
			catch (MigrationsException ex) {
				// Recorded and logged by the run.
				failed(ex, forcedBy, forcedAt);
				if (forcedBy != null) {
					throw ex;
				}
				return this.status.current();
			}
		}
	}

	private SchemaSnapshot inspect() {
		createHistoryIfMissing();
		return this.runs.inspect(this.contract);
	}

	/**
	 * Create the contract's history table, with the baseline at version 0 its first run
	 * would write, as soon as the application's own history exists (never before: Flyway
	 * refuses to migrate a schema that holds tables but no history). Flyway logs "does not
	 * exist yet" at every look at a missing history table, which the periodic check would
	 * repeat every interval until the first contract migration ran.
	 */
	private void createHistoryIfMissing() {
		if (this.historyExists) {
			return;
		}
		Configuration configuration = this.contract.getConfiguration();
		try (Connection connection = configuration.getDataSource().getConnection()) {
			String contractHistory = quoted(configuration);
			if (!Relations.exists(connection, contractHistory)) {
				if (!Relations.exists(connection, quoted(this.flyway.getConfiguration()))) {
					return;
				}
				try {
					this.contract.baseline();
				}
				catch (FlywayException ex) {
					// Another instance created it at the same moment
					if (!Relations.exists(connection, contractHistory)) {
						throw ex;
					}
				}
			}
			this.historyExists = true;
		}
		catch (SQLException ex) {
			throw new MigrationsException("Could not read the catalog: " + ex.getMessage(),
					"Check that the database is reachable; the next check tries again.", ex);
		}
	}

	private static String quoted(Configuration configuration) {
		return SqlIdentifiers.quoteInSchema(SchemaHistory.defaultSchemaOf(configuration), configuration.getTable());
	}

	private @Nullable MigrationRun previousRun() {
		return this.status.current().lastRun();
	}

	private ContractStatus failed(RuntimeException ex, @Nullable String forcedBy, @Nullable Instant forcedAt) {
		if (!(ex instanceof MigrationsException)) {
			logger.warn("Contract migrations: could not check the gate (" + ex.getMessage()
					+ "); the next check tries again.");
		}
		ContractStatus previous = this.status.current();
		ContractStatus failed = new ContractStatus(ContractStatus.State.FAILED, previous.waiting(),
				previous.migration(), previous.requiredVersion(), previous.blockers(), null,
				this.runs.status().current().lastRun(), forcedBy, forcedAt, ex.getMessage(), this.clock.instant());
		this.status.record(failed);
		this.lastLogged = null;
		return failed;
	}

	private ContractStatus record(Plan plan, @Nullable MigrationRun lastRun, @Nullable String forcedBy,
			@Nullable Instant forcedAt, @Nullable String error) {
		ContractStatus previous = this.status.current();
		String by = (forcedBy != null) ? forcedBy : previous.forcedBy();
		Instant at = (forcedBy != null) ? forcedAt : previous.forcedAt();
		ContractStatus status;
		if (plan.waiting() != null) {
			Step waiting = plan.waiting();
			status = new ContractStatus(ContractStatus.State.WAITING, plan.waitingCount(), waiting.label(),
					waiting.required(), plan.blockers(), plan.reason(), lastRun, by, at, error, this.clock.instant());
		}
		else if (lastRun != null) {
			status = new ContractStatus(ContractStatus.State.APPLIED, 0, null, null, List.of(), null, lastRun, by, at,
					error, this.clock.instant());
		}
		else {
			status = new ContractStatus(ContractStatus.State.NONE, 0, null, null, List.of(), null, null, null, null,
					error, this.clock.instant());
		}
		this.status.record(status);
		logChange(plan, status);
		return status;
	}

	private void logChange(Plan plan, ContractStatus status) {
		String line = (plan.waiting() != null) ? describeWait(plan) : null;
		if (!Objects.equals(line, this.lastLogged)) {
			if (line != null) {
				logger.info(line);
			}
			else if (this.lastLogged != null) {
				logger.info("Contract migrations: none waits any more (" + status.state() + ").");
			}
			this.lastLogged = line;
		}
	}

	private static String describeWait(Plan plan) {
		Step waiting = plan.waiting();
		Assert.state(waiting != null, "A waiting plan names the migration that waits");
		StringBuilder line = new StringBuilder("Contract ").append(waiting.label()).append(" waits for ");
		if (plan.reason() != null) {
			return line.append(plan.reason()).toString();
		}
		List<ContractStatus.Blocker> blockers = plan.blockers();
		String versions = blockers.stream()
			.map((blocker) -> (blocker.expectedVersion() != null) ? blocker.expectedVersion() : "<unknown>")
			.distinct()
			.collect(Collectors.joining(", "));
		line.append(blockers.size())
			.append((blockers.size() == 1) ? " replica" : " replicas")
			.append(" still expecting version ")
			.append(versions)
			.append(": ")
			.append(blockers.stream().map(ContractMigrations::describe).collect(Collectors.joining(", ")))
			.append(". It runs once none expects a version below ")
			.append(waiting.required())
			.append(" (").append(FORCE).append(" runs it now).");
		return line.toString();
	}

	private static String describe(ContractStatus.Blocker blocker) {
		if (ContractStatus.EXTERNAL.equals(blocker.host())) {
			return blocker.instance() + " (migrations.contract.external)";
		}
		return blocker.host() + " ("
				+ ((blocker.applicationVersion() != null) ? blocker.applicationVersion() : "version unknown") + ")";
	}

	/**
	 * Work out which pending contract migrations may run: in order, up to the first
	 * whose required expand version is not applied yet or is not reached by every live
	 * replica and external consumer.
	 * @param schema the contract history's state
	 * @param forced whether the replicas and external consumers are ignored
	 * @return the plan
	 */
	Plan plan(SchemaSnapshot schema, boolean forced) {
		List<Step> runnable = new ArrayList<>();
		List<MigrationSummary> pending = schema.pending();
		MigrationVersion applied = appliedExpandVersion();
		List<ContractStatus.Blocker> candidates = forced ? List.of() : candidates();
		for (int i = 0; i < pending.size(); i++) {
			MigrationSummary migration = pending.get(i);
			Step step = step(migration);
			MigrationVersion required = MigrationVersion.fromVersion(step.required());
			if (applied == null || applied.compareTo(required) < 0) {
				return new Plan(runnable, step, List.of(), "the expand migration to version " + step.required()
						+ " (the schema is at version " + ((applied != null) ? applied.getVersion() : "<none>") + ")",
						pending.size() - i);
			}
			List<ContractStatus.Blocker> blockers = candidates.stream()
				.filter((blocker) -> blocker.expectedVersion() == null
						|| MigrationVersion.fromVersion(blocker.expectedVersion()).compareTo(required) < 0)
				.toList();
			if (!blockers.isEmpty()) {
				return new Plan(runnable, step, blockers, null, pending.size() - i);
			}
			runnable.add(step);
		}
		return new Plan(runnable, null, List.of(), null, 0);
	}

	private Step step(MigrationSummary migration) {
		Assert.state(migration.version() != null, "A contract migration is versioned");
		String sql = this.scripts.read(migration.script());
		String required = migration.version();
		if (sql != null) {
			Matcher matcher = REQUIRES.matcher(sql);
			if (matcher.find()) {
				required = matcher.group(1);
			}
		}
		return new Step(migration.version(), migration.description(), required);
	}

	private List<ContractStatus.Blocker> candidates() {
		List<ContractStatus.Blocker> candidates = new ArrayList<>();
		try {
			for (Replica replica : this.replicas.replicas()) {
				if (replica.live()) {
					candidates.add(new ContractStatus.Blocker(replica.instanceId(), replica.host(),
							replica.applicationVersion(), replica.expectedVersion()));
				}
			}
		}
		catch (SQLException ex) {
			throw new MigrationsException("Could not read the replica registry: " + ex.getMessage(),
					"Check that the database is reachable; the next check tries again.", ex);
		}
		this.external.forEach((name, version) -> candidates
			.add(new ContractStatus.Blocker(name, ContractStatus.EXTERNAL, null, version)));
		return candidates;
	}

	private @Nullable MigrationVersion appliedExpandVersion() {
		Configuration main = this.flyway.getConfiguration();
		try {
			return SchemaHistory.read(main.getDataSource(), SchemaHistory.tableOf(main))
				.appliedVersions()
				.stream()
				.map(MigrationVersion::fromVersion)
				.max(MigrationVersion::compareTo)
				.orElse(null);
		}
		catch (SQLException ex) {
			throw new MigrationsException("Could not read the schema history table: " + ex.getMessage(),
					"Check that the database is reachable; the next check tries again.", ex);
		}
	}

	@Override
	public void afterSingletonsInstantiated() {
		// After every bean, so after Spring Boot's Flyway initializer ran the expand
		// migration; before a one-shot mode exits.
		if (this.runAtStartUp) {
			ContractStatus status = check();
			if (this.failStartUp && status.state() == ContractStatus.State.FAILED) {
				throw new MigrationsException("The contract migrations failed: " + status.error(),
						"Fix the contract script (migrations.contract.locations) and run the Job again: the expand "
								+ "migrations stay applied, and the contract's history says what was applied.",
						null);
			}
		}
	}

	@Override
	public void start() {
		if (this.checkInterval.isZero() || this.scheduler != null) {
			return;
		}
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.checkInterval.toMillis();
		scheduler.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		this.scheduler = null;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * One pending contract migration.
	 *
	 * @param version its version
	 * @param description its description
	 * @param required the expand version it requires
	 */
	record Step(String version, String description, String required) {

		String label() {
			return "V" + this.version + " (" + this.description + ")";
		}

	}

	/**
	 * What a check found.
	 *
	 * @param runnable the migrations that may run now, in order
	 * @param waiting the first that must wait, or {@code null}
	 * @param blockers the instances it waits for
	 * @param reason why it waits when no instance is to blame, or {@code null}
	 * @param waitingCount how many pending migrations wait
	 */
	record Plan(List<Step> runnable, @Nullable Step waiting, List<ContractStatus.Blocker> blockers,
			@Nullable String reason, int waitingCount) {

		String target() {
			Assert.state(!this.runnable.isEmpty(), "A plan with nothing to run has no target");
			return this.runnable.get(this.runnable.size() - 1).version();
		}

	}

}
