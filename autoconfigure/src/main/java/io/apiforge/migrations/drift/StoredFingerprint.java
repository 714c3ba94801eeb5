package io.apiforge.migrations.drift;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.fingerprint.SchemaFingerprint;

/**
 * One row of the table of stored fingerprints: the reference of a version is its newest
 * row.
 *
 * @param id the row's id, increasing
 * @param version the version it describes, or {@code null} for an empty schema (no
 * version applied)
 * @param reason why it was stored
 * @param recordedAt when
 * @param recordedBy who: the database user for a run, the operator for an accept
 * @param fingerprint the fingerprint
 * @author apiforge
 */
public record StoredFingerprint(long id, @Nullable String version, FingerprintReason reason, Instant recordedAt,
		String recordedBy, SchemaFingerprint fingerprint) {
}
