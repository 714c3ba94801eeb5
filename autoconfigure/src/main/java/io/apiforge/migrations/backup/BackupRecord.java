package io.apiforge.migrations.backup;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A backup that was taken: what the status and the endpoint show about it.
 *
 * @param strategy the name of the strategy that took it, such as {@code pg-dump}
 * @param location where it is (a file path or a URI); never contains a secret
 * @param createdAt when it was complete
 * @param sizeBytes its size in bytes, or {@code -1} when the strategy cannot tell
 * @param duration how long it took
 * @param fromVersion the schema version it holds, or {@code null} for a database with no
 * migration applied
 * @param toVersion the version the migration that followed it went to
 * @param verified whether the backup was checked to be readable after it was written
 * @param kind why it was taken, or {@code null} when unknown (a strategy that does not
 * say, a backup written before kinds were recorded)
 * @author apiforge
 */
public record BackupRecord(String strategy, String location, Instant createdAt, long sizeBytes, Duration duration,
		@Nullable String fromVersion, @Nullable String toVersion, boolean verified, @Nullable BackupKind kind) {

	/**
	 * Create a record of a backup whose kind is not known.
	 * @param strategy the name of the strategy that took it
	 * @param location where it is
	 * @param createdAt when it was complete
	 * @param sizeBytes its size in bytes, or {@code -1}
	 * @param duration how long it took
	 * @param fromVersion the schema version it holds, or {@code null}
	 * @param toVersion the version the migration that followed it went to
	 * @param verified whether the backup was checked
	 */
	public BackupRecord(String strategy, String location, Instant createdAt, long sizeBytes, Duration duration,
			@Nullable String fromVersion, @Nullable String toVersion, boolean verified) {
		this(strategy, location, createdAt, sizeBytes, duration, fromVersion, toVersion, verified, null);
	}

}
