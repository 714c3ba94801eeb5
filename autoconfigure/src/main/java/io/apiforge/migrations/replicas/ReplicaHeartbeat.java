package io.apiforge.migrations.replicas;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Keeps this instance's row in the registry fresh: written when the application context
 * starts, refreshed every {@code migrations.replicas.heartbeat-interval} on a daemon
 * thread of its own ({@value #THREAD_NAME}), removed when the context closes. It stops
 * after the web server (a lower phase), so that the row goes only once the old code
 * serves no more requests. A failed heartbeat never stops the application: it is logged
 * once per distinct failure, with what to do.
 *
 * @author apiforge
 */
public class ReplicaHeartbeat implements SmartLifecycle {

	/** The name of the heartbeat's thread. */
	public static final String THREAD_NAME = "migrations-replicas";

	/** After the web server's graceful shutdown and stop (Spring Boot's phases). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(ReplicaHeartbeat.class);

	private final ReplicaRegistry registry;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService executor;

	private volatile @Nullable String lastFailure;

	private volatile boolean waitingForHistory;

	/**
	 * Create the heartbeat.
	 * @param registry the registry
	 * @param interval how often to refresh the row
	 */
	public ReplicaHeartbeat(ReplicaRegistry registry, Duration interval) {
		Assert.notNull(registry, "'registry' must not be null");
		Assert.isTrue(interval != null && !interval.isNegative() && !interval.isZero(),
				"'interval' must be positive");
		this.registry = registry;
		this.interval = interval;
	}

	@Override
	public void start() {
		if (this.executor != null) {
			return;
		}
		// The first beat on the starting thread: once the application is ready, its row
		// is there for any instance that asks.
		beat();
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(1, this.interval.toMillis());
		executor.scheduleWithFixedDelay(this::beat, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	/**
	 * Write or refresh the row now.
	 */
	void beat() {
		try {
			boolean written = this.registry.heartbeat();
			if (this.lastFailure != null) {
				logger.info("Replica registry: heartbeat written again");
			}
			this.lastFailure = null;
			if (!written && !this.waitingForHistory) {
				logger.debug("Replica registry: no schema history table yet; this instance registers once the "
						+ "first migration created it");
			}
			this.waitingForHistory = !written;
		}
		catch (SQLException | RuntimeException ex) {
			String failure = ex.getMessage();
			if (!Objects.equals(failure, this.lastFailure)) {
				logger.warn("Replica registry: this instance (" + this.registry.self().instanceId()
						+ ") could not write its heartbeat: " + failure + ". Other instances will count it as gone "
						+ "after migrations.replicas.stale-after (" + this.registry.staleAfter()
						+ "), and a contract migration may then run while it still serves requests. Grant the "
						+ "application's database user CREATE on the history table's schema (or create the table "
						+ "with a migration) and INSERT, UPDATE, DELETE on it, or set "
						+ "migrations.replicas.enabled=false on instances that must not register.");
			}
			this.lastFailure = (failure != null) ? failure : ex.getClass().getName();
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor == null) {
			return;
		}
		this.executor = null;
		executor.shutdownNow();
		try {
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			this.registry.deregister();
		}
		catch (SQLException | RuntimeException ex) {
			logger.warn("Replica registry: could not remove this instance's row (" + this.registry.self().instanceId()
					+ "): " + ex.getMessage() + ". It counts as gone after migrations.replicas.stale-after ("
					+ this.registry.staleAfter() + ").");
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
