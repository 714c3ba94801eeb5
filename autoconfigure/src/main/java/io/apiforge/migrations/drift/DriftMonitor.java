package io.apiforge.migrations.drift;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

import io.apiforge.migrations.status.DriftStatus;

/**
 * Checks for drift every {@code migrations.drift.interval} on a daemon thread of its own
 * ({@value #THREAD_NAME}), so that health and metrics read a result that is at most that
 * old and never run a check on a probe's thread. A check skipped because a migration
 * holds the lock keeps the previous result. It starts with the application context and
 * stops when it closes; a zero interval starts no thread.
 *
 * @author apiforge
 */
public class DriftMonitor implements SmartLifecycle {

	/** The name of the monitor's thread. */
	public static final String THREAD_NAME = "migrations-drift";

	private static final Log logger = LogFactory.getLog(DriftMonitor.class);

	private final DriftDetector detector;

	private final Duration interval;

	private volatile @Nullable ScheduledExecutorService executor;

	private volatile @Nullable String lastFailure;

	/**
	 * Create a monitor.
	 * @param detector the engine
	 * @param interval how often to check; zero for never
	 */
	public DriftMonitor(DriftDetector detector, Duration interval) {
		Assert.notNull(detector, "'detector' must not be null");
		Assert.isTrue(interval != null && !interval.isNegative(), "'interval' must be zero or positive");
		this.detector = detector;
		this.interval = interval;
	}

	@Override
	public void start() {
		if (this.interval.isZero() || this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		long millis = Math.max(1, this.interval.toMillis());
		executor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	private void check() {
		try {
			DriftReport report = this.detector.check();
			this.lastFailure = null;
			if (report.status() == DriftStatus.DRIFTED) {
				logger.debug("Drift: " + report.objects().size() + " object(s) differ from the reference of version "
						+ DriftDetector.label(report.version()));
			}
		}
		catch (RuntimeException ex) {
			// Once per outage, not once per interval.
			String failure = ex.getMessage();
			if (failure == null || !failure.equals(this.lastFailure)) {
				logger.warn("Drift: the periodic check failed: " + failure + "; health and metrics keep the last result.");
			}
			this.lastFailure = failure;
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
