package io.apiforge.migrations.drift;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.fingerprint.FingerprintDifference;
import io.apiforge.migrations.fingerprint.FingerprintReader;
import io.apiforge.migrations.fingerprint.ObjectDifference;
import io.apiforge.migrations.fingerprint.SchemaFingerprint;
import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.lock.MigrationLockTimeoutException;
import io.apiforge.migrations.status.DriftStatus;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * The engine of drift detection: reads the live fingerprint of the schemas Flyway
 * manages, stores it as the reference of the current version, and compares the live
 * schema with that reference. The current version is read from the schema history table
 * (its highest applied version), the same way for storing and for comparing.
 * <p>
 * Everything runs under the migration lock, so that what a migration in progress
 * changes is never taken for drift: a check does not wait for the lock (another
 * instance holding it means a migration is in progress, and the check is
 * {@link DriftStatus#SKIPPED}); an accept waits like other operations; storing after a
 * run happens inside the run's lock. Each check's result is recorded in the status
 * holder, which health and metrics read.
 *
 * @author apiforge
 */
public class DriftDetector {

	private static final Log logger = LogFactory.getLog(DriftDetector.class);

	private final DataSource dataSource;

	private final List<String> schemas;

	private final String lockName;

	private final FingerprintStore store;

	private final Set<String> ownTables;

	private final MigrationLockProvider lockProvider;

	private final MigrationStatusHolder status;

	private final Duration lockTimeout;

	private final Clock clock;

	/**
	 * Create a detector.
	 * @param configuration Flyway's configuration: the data source, the schemas and the
	 * history table
	 * @param lockProvider takes the migration lock
	 * @param status receives the result of each check
	 * @param lockTimeout how long an accept waits for the lock
	 * @param clock the clock
	 */
	public DriftDetector(Configuration configuration, MigrationLockProvider lockProvider, MigrationStatusHolder status,
			Duration lockTimeout, Clock clock) {
		Assert.notNull(configuration, "'configuration' must not be null");
		Assert.notNull(lockProvider, "'lockProvider' must not be null");
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(lockTimeout, "'lockTimeout' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.dataSource = configuration.getDataSource();
		this.schemas = SchemaHistory.schemasOf(configuration);
		this.lockName = SchemaHistory.tableOf(configuration);
		this.store = new FingerprintStore(SchemaHistory.defaultSchemaOf(configuration), configuration.getTable());
		this.ownTables = SchemaHistory.starterTables(configuration.getTable());
		this.lockProvider = lockProvider;
		this.status = status;
		this.lockTimeout = lockTimeout;
		this.clock = clock;
	}

	/**
	 * Return the table of stored fingerprints.
	 * @return the store
	 */
	public FingerprintStore store() {
		return this.store;
	}

	/**
	 * Compare the live schema with the reference of the current version, under the
	 * migration lock, without waiting for it.
	 * @return what was found; {@link DriftStatus#SKIPPED} when another instance holds
	 * the lock (the previous result stands)
	 * @throws MigrationsException when the database cannot be read
	 */
	public DriftReport check() {
		return checkWithoutWaiting(false);
	}

	/**
	 * Like {@link #check()}, but a version with no reference gets the live schema as its
	 * {@code baseline} reference: what the start-up check does for a database that
	 * adopts the starter.
	 * @return what was found
	 * @throws MigrationsException when the database cannot be read or written
	 */
	public DriftReport checkAdoptingBaseline() {
		return checkWithoutWaiting(true);
	}

	private DriftReport checkWithoutWaiting(boolean adoptBaseline) {
		MigrationLock lock;
		try {
			lock = this.lockProvider.acquire(this.dataSource, this.lockName, Duration.ZERO);
		}
		catch (MigrationLockTimeoutException ex) {
			return new DriftReport(DriftStatus.SKIPPED, null, null, this.clock.instant(), 0, List.of(),
					"Another instance holds the migration lock of " + this.lockName + ": a migration is in progress, "
							+ "and what it changes is not drift. Nothing was compared; the previous result stands.");
		}
		try (lock) {
			return checkUnderLock(adoptBaseline);
		}
	}

	/**
	 * Compare the live schema with the reference of the current version, while the
	 * caller holds the migration lock.
	 * @param adoptBaseline whether a version with no reference gets the live schema as
	 * its {@code baseline} reference
	 * @return what was found
	 * @throws MigrationsException when the database cannot be read or written
	 */
	public DriftReport checkUnderLock(boolean adoptBaseline) {
		Instant now = this.clock.instant();
		DriftReport report;
		try (Connection connection = this.dataSource.getConnection()) {
			if (!this.store.historyExists(connection)) {
				report = new DriftReport(DriftStatus.NO_REFERENCE, null, null, now, 0, List.of(),
						"The schema history table " + this.lockName
								+ " does not exist yet: nothing was migrated, so there is nothing to compare with.");
			}
			else {
				String version = currentVersion(connection);
				StoredFingerprint reference = this.store.reference(connection, version);
				if (reference == null && !adoptBaseline) {
					// Nothing to compare with and nothing to record: the catalog is not read
					// (hundreds of milliseconds on a large schema).
					report = noReference(version, connection.getMetaData().getDatabaseMajorVersion(), now);
				}
				else {
					SchemaFingerprint live = FingerprintReader.read(connection, this.schemas, this.ownTables);
					report = (reference != null) ? compare(version, reference, live, now)
							: adoptBaseline(connection, version, live, now);
				}
			}
		}
		catch (SQLException ex) {
			throw failure("check the schema for drift", ex);
		}
		this.status.recordDrift(report.summary());
		return report;
	}

	private DriftReport compare(@Nullable String version, StoredFingerprint reference, SchemaFingerprint live,
			Instant now) {
		FingerprintDifference difference = FingerprintDifference.compare(reference.fingerprint(), live);
		DriftReport report = new DriftReport(difference.isEmpty() ? DriftStatus.NONE : DriftStatus.DRIFTED, version,
				reference, now, live.postgresqlVersion(), difference.objects(), null);
		if (report.isAcrossMajorVersions()) {
			return new DriftReport(report.status(), version, reference, now, live.postgresqlVersion(),
					report.objects(),
					"The reference was read on PostgreSQL " + reference.fingerprint().postgresqlVersion()
							+ " and the live schema on PostgreSQL " + live.postgresqlVersion()
							+ ": PostgreSQL may render some definitions differently after an upgrade. Once they are "
							+ "checked, accept the live schema (POST /actuator/migrations/drift) to take a reference "
							+ "on this version.");
		}
		return report;
	}

	private DriftReport noReference(@Nullable String version, int postgresqlVersion, Instant now) {
		return new DriftReport(DriftStatus.NO_REFERENCE, version, null, now, postgresqlVersion, List.of(),
				"No fingerprint is stored for version " + label(version) + " in " + this.store
						+ ": the next start-up records the live schema as its baseline, or accept it now "
						+ "(POST /actuator/migrations/drift).");
	}

	private DriftReport adoptBaseline(Connection connection, @Nullable String version, SchemaFingerprint live,
			Instant now) throws SQLException {
		StoredFingerprint baseline = this.store.append(connection, version, FingerprintReason.BASELINE, null, live,
				now);
		String note = "No fingerprint was stored for version " + label(version) + " (a database that adopts drift "
				+ "detection): the live schema, " + live.objects().size() + " objects, is now its baseline reference in "
				+ this.store + ".";
		logger.info("Drift: " + note);
		return new DriftReport(DriftStatus.NO_REFERENCE, version, baseline, now, live.postgresqlVersion(), List.of(),
				note);
	}

	/**
	 * Store the live schema as the reference of the current version, after a run that
	 * changed it, while the caller holds the migration lock.
	 * @param reason why: {@link FingerprintReason#MIGRATE} or
	 * {@link FingerprintReason#ROLLBACK}
	 * @return the stored row
	 * @throws MigrationsException when it could not be stored
	 */
	public StoredFingerprint record(FingerprintReason reason) {
		Instant now = this.clock.instant();
		try (Connection connection = this.dataSource.getConnection()) {
			String version = currentVersion(connection);
			SchemaFingerprint live = FingerprintReader.read(connection, this.schemas, this.ownTables);
			StoredFingerprint stored = this.store.append(connection, version, reason, null, live, now);
			this.status.recordDrift(
					new DriftReport(DriftStatus.NONE, version, stored, now, live.postgresqlVersion(), List.of(), null)
						.summary());
			return stored;
		}
		catch (SQLException ex) {
			throw failure("store the schema's fingerprint in " + this.store, ex);
		}
	}

	/**
	 * Store the live schema as the reference of the current version on an operator's
	 * word, under the migration lock (waiting for it like other operations), and log it
	 * with who accepted it.
	 * @param who who accepts it
	 * @return the check after the accept: no drift
	 * @throws MigrationsException when the lock was not free in time, or the database
	 * cannot be read or written
	 */
	public DriftReport accept(String who) {
		Assert.hasText(who, "'who' must not be empty");
		try (MigrationLock lock = this.lockProvider.acquire(this.dataSource, this.lockName, this.lockTimeout);
				Connection connection = this.dataSource.getConnection()) {
			if (!this.store.historyExists(connection)) {
				throw new MigrationsException("There is no schema to accept: the schema history table "
						+ this.lockName + " does not exist yet",
						"Migrate first; the migration stores the schema's fingerprint itself.", null);
			}
			Instant now = this.clock.instant();
			String version = currentVersion(connection);
			SchemaFingerprint live = FingerprintReader.read(connection, this.schemas, this.ownTables);
			StoredFingerprint previous = this.store.reference(connection, version);
			StoredFingerprint accepted = this.store.append(connection, version, FingerprintReason.ACCEPTED, who, live,
					now);
			logger.warn("Drift: " + who + " accepted the live schema as the reference of version " + label(version)
					+ " in " + this.store + describeAccepted(previous, live));
			DriftReport report = new DriftReport(DriftStatus.NONE, version, accepted, now, live.postgresqlVersion(),
					List.of(), null);
			this.status.recordDrift(report.summary());
			return report;
		}
		catch (SQLException ex) {
			throw failure("accept the live schema", ex);
		}
	}

	private static String describeAccepted(@Nullable StoredFingerprint previous, SchemaFingerprint live) {
		if (previous == null) {
			return "; there was no reference before.";
		}
		List<ObjectDifference> objects = FingerprintDifference.compare(previous.fingerprint(), live).objects();
		if (objects.isEmpty()) {
			return "; it did not differ from the previous reference.";
		}
		return "; " + objects.size() + " object(s) differed from the previous reference (" + previous.reason().label()
				+ " by " + previous.recordedBy() + " at " + previous.recordedAt() + "):\n"
				+ objects.stream().map((object) -> "  " + object.describe()).collect(Collectors.joining("\n"));
	}

	/**
	 * The highest version applied successfully, as the history table says: the same
	 * rule the status uses when it refreshes.
	 */
	private @Nullable String currentVersion(Connection connection) throws SQLException {
		return SchemaHistory.read(connection, this.lockName)
			.appliedVersions()
			.stream()
			.map(MigrationVersion::fromVersion)
			.max(MigrationVersion::compareTo)
			.map(MigrationVersion::getVersion)
			.orElse(null);
	}

	static String label(@Nullable String version) {
		return (version != null) ? version : "<none>";
	}

	private static MigrationsException failure(String what, SQLException ex) {
		return new MigrationsException("Could not " + what + ": " + ex.getMessage(),
				"Check that the database is reachable (GET /actuator/health) and that the application's user may "
						+ "read the catalog and create and write the table of fingerprints beside the schema history "
						+ "table; or set migrations.drift.enabled=false.",
				ex);
	}

}
