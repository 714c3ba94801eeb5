package io.apiforge.migrations.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;

/**
 * The run of {@code migrations.mode=background}: the start-up strategy
 * {@link #schedule(Flyway) schedules} it, and it starts once the application is ready
 * (its web server up, so that probes answer) on a thread of its own, as the same
 * {@link MigrationOperations#migrate() migrate} as start-up's: inspect, lock, back up,
 * migrate, record, publish.
 * <p>
 * When the run fails (or is refused: the lock not free in time, the lint's
 * {@code fail-on}), the application is closed and the JVM exits with
 * {@link MigrationsException#EXIT_CODE}, as {@code migrate-and-exit} does, so that the
 * orchestrator sees it; unless exit on failure is off, and then health stays
 * {@code DOWN} (or {@code OUT_OF_SERVICE} after a refusal) for an operator to act.
 * <p>
 * Shutdown: closing the application while the run is in progress waits for the run to
 * end, bounded by Spring's {@code spring.lifecycle.timeout-per-shutdown-phase} (this is a
 * {@link SmartLifecycle} of the last phase, stopped first), so that the migration in
 * progress finishes and is recorded before the connection pool closes. After that bound
 * the close goes on: the pool aborts the migration's connection, and PostgreSQL rolls the
 * migration in progress back (each migration is its own transaction); the migrations
 * applied before stay applied, and the next start continues from there. The thread is a
 * daemon: once the context is gone it has nothing left to run on, and it must not keep
 * the JVM alive. A run that ends during shutdown never exits the JVM itself.
 *
 * @author apiforge
 */
public class BackgroundMigration implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(BackgroundMigration.class);

	/** The name of the thread the run goes on. */
	public static final String THREAD_NAME = "migrations-background";

	private final MigrationOperations operations;

	private final boolean exitOnFailure;

	private final IntConsumer exit;

	private final Object monitor = new Object();

	private @Nullable Flyway scheduled;

	private @Nullable TenantMigrations tenants;

	private boolean started;

	private boolean ended;

	private boolean stopping;

	private final List<Runnable> onEnd = new ArrayList<>();

	/**
	 * Create the background run, exiting the JVM on failure when asked.
	 * @param operations the operations
	 * @param exitOnFailure whether a failed run closes the application and exits the JVM
	 * with {@link MigrationsException#EXIT_CODE}
	 */
	public BackgroundMigration(MigrationOperations operations, boolean exitOnFailure) {
		this(operations, exitOnFailure, System::exit);
	}

	/**
	 * Create the background run, handing the exit code of a failed run to the given
	 * function once the application is closed.
	 * @param operations the operations
	 * @param exitOnFailure whether a failed run closes the application and exits
	 * @param exit what to do with the exit code
	 */
	public BackgroundMigration(MigrationOperations operations, boolean exitOnFailure, IntConsumer exit) {
		Assert.notNull(operations, "'operations' must not be null");
		Assert.notNull(exit, "'exit' must not be null");
		this.operations = operations;
		this.exitOnFailure = exitOnFailure;
		this.exit = exit;
	}

	/**
	 * Schedule the run, to start once the application is ready.
	 * @param flyway the Flyway instance Spring Boot's initializer runs
	 */
	void schedule(Flyway flyway) {
		schedule(flyway, null);
	}

	/**
	 * Schedule the run, to start once the application is ready, and migrate the tenants
	 * after the application's own schema.
	 * @param flyway the Flyway instance Spring Boot's initializer runs
	 * @param tenants the tenants, or {@code null} when there are none
	 */
	void schedule(Flyway flyway, @Nullable TenantMigrations tenants) {
		synchronized (this.monitor) {
			this.scheduled = flyway;
			this.tenants = tenants;
		}
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Flyway flyway;
		TenantMigrations tenants;
		synchronized (this.monitor) {
			if (this.scheduled == null || this.started || this.stopping) {
				return;
			}
			flyway = this.scheduled;
			tenants = this.tenants;
			this.started = true;
		}
		ConfigurableApplicationContext context = event.getApplicationContext();
		Thread thread = new Thread(() -> run(flyway, tenants, context), THREAD_NAME);
		thread.setDaemon(true);
		thread.start();
	}

	private void run(Flyway flyway, @Nullable TenantMigrations tenants, ConfigurableApplicationContext context) {
		RuntimeException failure = null;
		try {
			this.operations.migrate(flyway);
			if (tenants != null) {
				tenants.migrateOnStartUp();
			}
		}
		catch (MigrationsException ex) {
			// Already recorded, logged and published by the run.
			failure = ex;
		}
		catch (RuntimeException ex) {
			logger.error("The background migration failed unexpectedly", ex);
			failure = ex;
		}
		boolean stopping = end();
		if (failure == null) {
			return;
		}
		if (stopping) {
			logger.warn("The background migration ended while the application was shutting down: " + failure.getMessage());
		}
		else if (this.exitOnFailure) {
			logger.error("The background migration failed (migrations.mode=background): closing the application and "
					+ "exiting with code " + MigrationsException.EXIT_CODE
					+ " (migrations.background.exit-on-failure=false keeps it running, health DOWN).");
			this.exit.accept(SpringApplication.exit(context, () -> MigrationsException.EXIT_CODE));
		}
	}

	/**
	 * Mark the run ended and release whoever waits for it. Before any exit, which closes
	 * the context and so stops this lifecycle: that stop must not wait for this thread.
	 * @return whether the application is shutting down
	 */
	private boolean end() {
		List<Runnable> waiting;
		boolean stopping;
		synchronized (this.monitor) {
			this.ended = true;
			stopping = this.stopping;
			waiting = List.copyOf(this.onEnd);
			this.onEnd.clear();
		}
		waiting.forEach(Runnable::run);
		return stopping;
	}

	/**
	 * Return whether the run has started and not ended yet.
	 * @return whether it is in progress
	 */
	public boolean isInProgress() {
		synchronized (this.monitor) {
			return this.started && !this.ended;
		}
	}

	@Override
	public void start() {
		// Started by the ApplicationReadyEvent, not by the context's refresh: the web
		// server must be up first.
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			this.stopping = true;
		}
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this.monitor) {
			this.stopping = true;
			if (this.started && !this.ended) {
				logger.info("Waiting for the background migration to end before shutting down "
						+ "(at most spring.lifecycle.timeout-per-shutdown-phase)");
				this.onEnd.add(callback);
				return;
			}
		}
		callback.run();
	}

	@Override
	public boolean isRunning() {
		// Until stopped, so that the context stops it (and waits for a run in progress).
		synchronized (this.monitor) {
			return !this.stopping;
		}
	}

	@Override
	public int getPhase() {
		// The last phase to start, so the first to stop: before the web server and the pool.
		return SmartLifecycle.DEFAULT_PHASE;
	}

}
