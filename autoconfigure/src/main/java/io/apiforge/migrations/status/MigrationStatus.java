package io.apiforge.migrations.status;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;

/**
 * The status of the schema as last seen, with the last lifecycle run and the last
 * backup.
 *
 * @param schema the schema as Flyway last reported it
 * @param lastRun the last run of the lifecycle in this application, or {@code null}
 * before the first
 * @param lastBackup the last backup taken by this application, or {@code null} when none
 * was
 * @param lastSuccessAt when the last run that left the schema where this application
 * expects it ended (it migrated, found nothing to do, or validated an up-to-date schema),
 * or {@code null} when none has
 * @author apiforge
 */
public record MigrationStatus(SchemaSnapshot schema, @Nullable MigrationRun lastRun, @Nullable BackupRecord lastBackup,
		@Nullable Instant lastSuccessAt) {

}
