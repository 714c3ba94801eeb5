package io.apiforge.migrations.drift;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.fingerprint.ObjectDifference;
import io.apiforge.migrations.fingerprint.Severity;
import io.apiforge.migrations.status.DriftStatus;
import io.apiforge.migrations.status.DriftSummary;

/**
 * What a drift check found: the live schema compared with the stored reference of the
 * current version.
 *
 * @param status what it found
 * @param version the current version, or {@code null} for an empty schema; {@code null}
 * too when the check was {@link DriftStatus#SKIPPED skipped}
 * @param reference the stored reference it compared with, or {@code null} when there is
 * none (or the check was skipped)
 * @param checkedAt when the check ran
 * @param livePostgresqlVersion the major version of the server the live schema was read
 * from, or 0 when it was not read
 * @param objects each object added, removed or changed, both definitions side by side
 * @param note what a reader must know besides: the reference was taken on another
 * PostgreSQL major version, a baseline was recorded, why the check was skipped; or
 * {@code null}
 * @author apiforge
 */
public record DriftReport(DriftStatus status, @Nullable String version, @Nullable StoredFingerprint reference,
		Instant checkedAt, int livePostgresqlVersion, List<ObjectDifference> objects, @Nullable String note) {

	/**
	 * Create a report.
	 * @param status what it found
	 * @param version the current version
	 * @param reference the stored reference
	 * @param checkedAt when the check ran
	 * @param livePostgresqlVersion the live server's major version
	 * @param objects the objects that differ
	 * @param note what a reader must know besides
	 */
	public DriftReport {
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(checkedAt, "'checkedAt' must not be null");
		objects = List.copyOf(objects);
	}

	/**
	 * Return the objects of one severity.
	 * @param severity the severity
	 * @return the objects, in order
	 */
	public List<ObjectDifference> objects(Severity severity) {
		return this.objects.stream().filter((object) -> object.severity() == severity).toList();
	}

	/**
	 * Return whether the reference was read on another PostgreSQL major version than the
	 * live schema, so that some definitions may differ only in how they are rendered.
	 * @return whether the major versions differ
	 */
	public boolean isAcrossMajorVersions() {
		return this.reference != null && this.livePostgresqlVersion != 0
				&& this.reference.fingerprint().postgresqlVersion() != this.livePostgresqlVersion;
	}

	/**
	 * Return the report in the few numbers health and metrics show.
	 * @return the summary
	 */
	public DriftSummary summary() {
		return new DriftSummary(this.status, this.version, this.checkedAt, objects(Severity.SCHEMA).size(),
				objects(Severity.PRIVILEGES).size());
	}

}
