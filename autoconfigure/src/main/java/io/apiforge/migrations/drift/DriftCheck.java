package io.apiforge.migrations.drift;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.fingerprint.ObjectDifference;
import io.apiforge.migrations.fingerprint.Severity;
import io.apiforge.migrations.lifecycle.AfterStartup;
import io.apiforge.migrations.status.DriftStatus;

/**
 * The lifecycle's drift steps: the check before migrating ({@code migrations.drift.check}
 * {@code warn}, {@code fail} or {@code off}), the same check once at start-up when
 * nothing is pending, and storing the fingerprint after a run that changed the schema.
 * Migrating onto a drifted schema is where surprises come from, so the check runs under
 * the run's lock, after the inspection and before the backup.
 * <p>
 * Only the schema's shape fails the start-up; grants and owners, which often differ
 * between environments on purpose, are listed apart and never do. A check or a store
 * that cannot run is logged, never turned into a failed migration.
 *
 * @author apiforge
 */
public class DriftCheck implements DisposableBean, SmartApplicationListener {

	/** The thread of the start-up check in {@code warn} mode. */
	public static final String STARTUP_THREAD_NAME = "migrations-drift-startup";

	/** How long closing the application waits for a start-up check still running. */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(DriftCheck.class);

	private static final String ACCEPT = "POST /actuator/migrations/drift with {\"accept\": true}";

	private final DriftDetector detector;

	private final DriftCheckMode mode;

	private final AfterStartup startupCheck = new AfterStartup(STARTUP_THREAD_NAME);

	/**
	 * Create the steps.
	 * @param detector the engine
	 * @param mode what the check does about drift
	 */
	public DriftCheck(DriftDetector detector, DriftCheckMode mode) {
		Assert.notNull(detector, "'detector' must not be null");
		Assert.notNull(mode, "'mode' must not be null");
		this.detector = detector;
		this.mode = mode;
	}

	/**
	 * Return the engine, for the endpoint's checks and accepts.
	 * @return the detector
	 */
	public DriftDetector detector() {
		return this.detector;
	}

	/**
	 * Check before migrating, while the run holds the migration lock. A version with no
	 * reference keeps none: the migration records the version it reaches, and nothing of
	 * the starter's is written before the backup, so that the backup holds the schema
	 * exactly as it was.
	 * @throws MigrationsException when the schema's shape drifted and the mode is
	 * {@link DriftCheckMode#FAIL}
	 */
	public void beforeMigrate() {
		if (this.mode == DriftCheckMode.OFF) {
			return;
		}
		DriftReport report;
		try {
			report = this.detector.checkUnderLock(false);
		}
		catch (RuntimeException ex) {
			logger.warn("Drift: could not check the schema before migrating (" + ex.getMessage()
					+ "); migrating without the check.");
			return;
		}
		act(report, "before migrating");
	}

	/**
	 * Check once at start-up when nothing is pending, as {@link #atStartup()} does; in
	 * {@link DriftCheckMode#WARN warn} mode on a thread of its own, started once the
	 * application is ready: a check that can only log reads the whole catalog (hundreds
	 * of milliseconds for hundreds of tables), and the application need not wait for it
	 * to start. In {@link DriftCheckMode#FAIL fail} mode it runs on the calling thread,
	 * since drift must stop the start-up.
	 * @throws MigrationsException when the schema's shape drifted and the mode is
	 * {@link DriftCheckMode#FAIL}
	 */
	public void atStartupInBackground() {
		if (this.mode != DriftCheckMode.WARN) {
			atStartup();
			return;
		}
		this.startupCheck.schedule(this::atStartup);
	}

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return AfterStartup.supportsEventType(eventType);
	}

	/**
	 * Start the start-up check left for later once the application is ready
	 * ({@link AfterStartup}): a check that reads the whole catalog while the
	 * application's beans are created and its web server starts only slows both down.
	 * @param event a {@link org.springframework.context.event.ContextRefreshedEvent} or
	 * an {@link org.springframework.boot.context.event.ApplicationReadyEvent}
	 */
	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		this.startupCheck.onApplicationEvent(event);
	}

	/**
	 * Wait for the start-up check still running on its own thread, so that it does not
	 * read a database the application is closing.
	 * @throws InterruptedException when interrupted while waiting
	 */
	@Override
	public void destroy() throws InterruptedException {
		this.startupCheck.awaitEnd(CLOSE_WAIT);
	}

	/**
	 * Check once at start-up when nothing is pending, taking the migration lock without
	 * waiting (another instance holding it is migrating: not drift), on the calling
	 * thread. A version with no reference gets the live schema as its baseline.
	 * @throws MigrationsException when the schema's shape drifted and the mode is
	 * {@link DriftCheckMode#FAIL}
	 */
	public void atStartup() {
		if (this.mode == DriftCheckMode.OFF) {
			return;
		}
		DriftReport report;
		try {
			report = this.detector.checkAdoptingBaseline();
		}
		catch (RuntimeException ex) {
			logger.warn("Drift: could not check the schema at start-up (" + ex.getMessage() + "); starting without "
					+ "the check.");
			return;
		}
		act(report, "at start-up");
	}

	/**
	 * Store the fingerprint of the schema a run left, while the run holds the migration
	 * lock. A failure is logged: the run succeeded, and stays a success.
	 * @param reason {@link FingerprintReason#MIGRATE} or {@link FingerprintReason#ROLLBACK}
	 */
	public void afterRun(FingerprintReason reason) {
		try {
			this.detector.record(reason);
		}
		catch (RuntimeException ex) {
			logger.warn("Drift: the " + reason.label() + " succeeded, but the schema's fingerprint could not be stored in "
					+ this.detector.store() + ": " + ex.getMessage() + ". Until one is, drift is not checked for this "
					+ "version; the next start-up records the live schema as its baseline.");
		}
	}

	private void act(DriftReport report, String when) {
		if (report.status() == DriftStatus.SKIPPED) {
			logger.info("Drift: not checked " + when + ". " + report.note());
			return;
		}
		if (report.status() == DriftStatus.NO_REFERENCE) {
			// At start-up the detector said it once, recording the baseline; before a
			// migration there is nothing to compare with, and the run records one.
			logger.debug("Drift: not compared " + when + ". " + report.note());
			return;
		}
		StoredFingerprint reference = report.reference();
		String against = "the reference of version " + DriftDetector.label(report.version())
				+ ((reference != null) ? " (" + reference.reason().label() + " by " + reference.recordedBy() + " at "
						+ reference.recordedAt() + ")" : "");
		if (report.status() == DriftStatus.NONE) {
			logger.info("Drift: none " + when + "; the live schema is " + against + ".");
			return;
		}
		List<ObjectDifference> schema = report.objects(Severity.SCHEMA);
		List<ObjectDifference> privileges = report.objects(Severity.PRIVILEGES);
		StringBuilder message = new StringBuilder("The live schema drifted from " + against + ", checked " + when + ":");
		if (!schema.isEmpty()) {
			message.append(" ").append(schema.size()).append(" object(s) of the schema's shape:\n").append(lines(schema));
		}
		if (!privileges.isEmpty()) {
			message.append(schema.isEmpty() ? " " : "\n")
				.append(privileges.size())
				.append(" grant(s) or owner(s), which never fail the start-up:\n")
				.append(lines(privileges));
		}
		if (report.note() != null) {
			message.append("\n").append(report.note());
		}
		if (this.mode == DriftCheckMode.FAIL && !schema.isEmpty()) {
			throw new MigrationsException(message.toString(),
					"Put the schema back as the migrations made it, or, if the live schema is right, accept it as the "
							+ "reference (" + ACCEPT + ", or a start with migrations.drift.check=warn and then the "
							+ "accept); or set migrations.drift.check=warn to start and only log drift.",
					null);
		}
		logger.warn("Drift: " + message + "\nAccept the live schema as the reference with " + ACCEPT
				+ " (GET /actuator/migrations/drift shows both definitions), or put it back as the migrations made it.");
	}

	private static String lines(List<ObjectDifference> objects) {
		return objects.stream().map((object) -> "  " + object.describe()).collect(Collectors.joining("\n"));
	}

}
