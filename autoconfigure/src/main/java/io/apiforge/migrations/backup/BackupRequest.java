package io.apiforge.migrations.backup;

import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * What a {@link BackupStrategy} is asked to back up: the database Flyway migrates, the
 * schemas it manages, and the versions the migration goes from and to.
 *
 * @param dataSource the data source Flyway migrates through
 * @param schemas the schemas Flyway manages; empty when Flyway uses the connection's
 * default schema
 * @param fromVersion the schema's current version, or {@code null} when nothing is
 * applied yet
 * @param toVersion the version the schema will be at after the pending migrations
 * @param pendingCount how many migrations are pending
 * @author apiforge
 */
public record BackupRequest(DataSource dataSource, List<String> schemas, @Nullable String fromVersion,
		@Nullable String toVersion, int pendingCount) {

}
