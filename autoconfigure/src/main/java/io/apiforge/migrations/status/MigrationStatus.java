package io.apiforge.migrations.status;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * The status of the schema as last seen, with the last run and the last backup.
 *
 * @param schema the schema as Flyway last reported it
 * @param lastRun the last run of the lifecycle in this application, or {@code null}
 * before the first
 * @param lastBackup the last backup taken by this application, or {@code null} when none
 * was
 * @param lastSuccessAt when the last run that left the schema where this application
 * expects it ended (it migrated, found nothing to do, or validated an up-to-date schema),
 * or {@code null} when none has
 * @param refreshFailure the last refresh of the schema that failed (the database could
 * not be read), or {@code null} when the last one succeeded: the schema is then as last
 * seen, and may be stale
 * @author apiforge
 */
public record MigrationStatus(SchemaSnapshot schema, @Nullable MigrationRun lastRun, @Nullable BackupRecord lastBackup,
		@Nullable Instant lastSuccessAt, @Nullable RefreshFailure refreshFailure) {

	/**
	 * A refresh of the schema that failed.
	 *
	 * @param at when it was tried
	 * @param error what went wrong
	 */
	public record RefreshFailure(Instant at, String error) {
	}

}
