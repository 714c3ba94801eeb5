package io.apiforge.migrations.backup.jdbc;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.backup.pgdump.PgDumpSettings;

/**
 * How the {@code jdbc} strategy backs up.
 *
 * @param directory where backups are written
 * @param scope what to back up
 * @param verify whether to read each backup back and check it against its manifest
 * @param timeout how long each statement of the dump may take (a table's COPY is one)
 * @param keepLast how many backups of each kind taken before a schema change (a
 * migration, a rollback) to keep, per database
 * @param keepLastOnRequest how many backups taken on request to keep, per database
 * @author apiforge
 */
public record JdbcBackupSettings(Path directory, BackupScope scope, boolean verify, Duration timeout, int keepLast,
		int keepLastOnRequest) {

	public JdbcBackupSettings {
		Assert.notNull(directory, "'directory' must not be null");
		Assert.notNull(scope, "'scope' must not be null");
		Assert.isTrue(keepLast >= 1, "'keepLast' must be at least 1");
		Assert.isTrue(keepLastOnRequest >= 1, "'keepLastOnRequest' must be at least 1");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
	}

	/**
	 * Create settings that keep {@value PgDumpSettings#DEFAULT_KEEP_LAST_ON_REQUEST}
	 * backups taken on request.
	 * @param directory where backups are written
	 * @param scope what to back up
	 * @param verify whether to read each backup back and check it
	 * @param timeout how long each statement of the dump may take
	 * @param keepLast how many backups taken before a schema change to keep
	 */
	public JdbcBackupSettings(Path directory, BackupScope scope, boolean verify, Duration timeout, int keepLast) {
		this(directory, scope, verify, timeout, keepLast, PgDumpSettings.DEFAULT_KEEP_LAST_ON_REQUEST);
	}

	/**
	 * Return how many backups of a kind to keep.
	 * @param kind the kind
	 * @return how many to keep
	 */
	int keepLast(BackupKind kind) {
		return (kind == BackupKind.ON_REQUEST) ? this.keepLastOnRequest : this.keepLast;
	}

	static String keepLastProperty(BackupKind kind) {
		return (kind == BackupKind.ON_REQUEST) ? "migrations.backup.retention.keep-last-on-request"
				: "migrations.backup.retention.keep-last";
	}

}
