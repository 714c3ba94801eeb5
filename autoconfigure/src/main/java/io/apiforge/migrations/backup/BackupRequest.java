package io.apiforge.migrations.backup;

import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a {@link BackupStrategy} is asked to back up: the database Flyway migrates, the
 * schemas it manages, the versions the migration goes from and to, and why the backup is
 * taken.
 *
 * @param dataSource the data source Flyway migrates through
 * @param schemas the schemas Flyway manages; empty when Flyway uses the connection's
 * default schema
 * @param fromVersion the schema's current version, or {@code null} when nothing is
 * applied yet
 * @param toVersion the version the schema will be at after the pending migrations
 * @param pendingCount how many migrations are pending
 * @param kind why the backup is taken
 * @author apiforge
 */
public record BackupRequest(DataSource dataSource, List<String> schemas, @Nullable String fromVersion,
		@Nullable String toVersion, int pendingCount, BackupKind kind) {

	public BackupRequest {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(schemas, "'schemas' must not be null");
		Assert.notNull(kind, "'kind' must not be null");
	}

	/**
	 * Create a request for a backup before a migration.
	 * @param dataSource the data source Flyway migrates through
	 * @param schemas the schemas Flyway manages
	 * @param fromVersion the schema's current version, or {@code null}
	 * @param toVersion the version after the pending migrations
	 * @param pendingCount how many migrations are pending
	 */
	public BackupRequest(DataSource dataSource, List<String> schemas, @Nullable String fromVersion,
			@Nullable String toVersion, int pendingCount) {
		this(dataSource, schemas, fromVersion, toVersion, pendingCount, BackupKind.PRE_MIGRATION);
	}

	/**
	 * Return why the backup is taken, for the log: {@code before migrating from version 1
	 * to 2}, {@code before rolling back from version 2 to 1}, {@code on request, at
	 * version 2}.
	 * @return the reason
	 */
	public String reason() {
		return switch (this.kind) {
			case PRE_MIGRATION -> "before migrating from version " + label(this.fromVersion) + " to "
					+ label(this.toVersion);
			case PRE_CONTRACT -> "before contract migrations from version " + label(this.fromVersion) + " to "
					+ label(this.toVersion);
			case PRE_ROLLBACK -> "before rolling back from version " + label(this.fromVersion) + " to "
					+ label(this.toVersion);
			case ON_REQUEST -> "on request, at version " + label(this.fromVersion);
		};
	}

	private static String label(@Nullable String version) {
		return (version != null) ? version : "<none>";
	}

}
