package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupKind;

/**
 * How the {@code pg_dump} strategy backs up.
 *
 * @param directory where backups are written
 * @param pgDumpPath the {@code pg_dump} executable, or {@code null} to look for it on the
 * {@code PATH}
 * @param format the output format
 * @param scope what to back up
 * @param verify how far each backup is checked before the migration may start
 * @param timeout how long a backup may take
 * @param progressInterval how often to log progress while a backup runs
 * @param keepLast how many backups of each kind taken before a schema change (a
 * migration, a rollback) to keep, per database
 * @param keepLastOnRequest how many backups taken on request to keep, per database
 * @param jobs how many tables {@code pg_dump} (and {@code pg_restore}) work on at once,
 * each over a connection of its own; more than 1 only with
 * {@link PgDumpFormat#DIRECTORY}
 * @author apiforge
 */
public record PgDumpSettings(Path directory, @Nullable Path pgDumpPath, PgDumpFormat format, BackupScope scope,
		BackupVerification verify, Duration timeout, Duration progressInterval, int keepLast, int keepLastOnRequest,
		int jobs) {

	/** How many backups taken on request are kept unless said otherwise. */
	public static final int DEFAULT_KEEP_LAST_ON_REQUEST = 5;

	public PgDumpSettings {
		Assert.notNull(directory, "'directory' must not be null");
		Assert.notNull(verify, "'verify' must not be null");
		Assert.isTrue(keepLast >= 1, "'keepLast' must be at least 1");
		Assert.isTrue(keepLastOnRequest >= 1, "'keepLastOnRequest' must be at least 1");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		Assert.isTrue(!progressInterval.isNegative() && !progressInterval.isZero(), "'progressInterval' must be positive");
		Assert.isTrue(jobs >= 1, "'jobs' must be at least 1");
		Assert.isTrue(jobs == 1 || format == PgDumpFormat.DIRECTORY,
				"'jobs' above 1 needs the directory format: pg_dump writes in parallel only there");
	}

	/**
	 * Create settings that back up with one job.
	 * @param directory where backups are written
	 * @param pgDumpPath the {@code pg_dump} executable, or {@code null}
	 * @param format the output format
	 * @param scope what to back up
	 * @param verify how far each backup is checked
	 * @param timeout how long a backup may take
	 * @param progressInterval how often to log progress
	 * @param keepLast how many backups taken before a schema change to keep
	 * @param keepLastOnRequest how many backups taken on request to keep
	 */
	public PgDumpSettings(Path directory, @Nullable Path pgDumpPath, PgDumpFormat format, BackupScope scope,
			BackupVerification verify, Duration timeout, Duration progressInterval, int keepLast,
			int keepLastOnRequest) {
		this(directory, pgDumpPath, format, scope, verify, timeout, progressInterval, keepLast, keepLastOnRequest, 1);
	}

	/**
	 * Create settings with the verification of the former boolean
	 * {@code migrations.backup.verify} ({@code true} is {@link BackupVerification#LIST},
	 * {@code false} is {@link BackupVerification#NONE}) that keep
	 * {@value #DEFAULT_KEEP_LAST_ON_REQUEST} backups taken on request.
	 * @param directory where backups are written
	 * @param pgDumpPath the {@code pg_dump} executable, or {@code null}
	 * @param format the output format
	 * @param scope what to back up
	 * @param verify whether to check each backup with {@code pg_restore --list}
	 * @param timeout how long a backup may take
	 * @param progressInterval how often to log progress
	 * @param keepLast how many backups taken before a schema change to keep
	 */
	public PgDumpSettings(Path directory, @Nullable Path pgDumpPath, PgDumpFormat format, BackupScope scope,
			boolean verify, Duration timeout, Duration progressInterval, int keepLast) {
		this(directory, pgDumpPath, format, scope, verify ? BackupVerification.LIST : BackupVerification.NONE, timeout,
				progressInterval, keepLast, DEFAULT_KEEP_LAST_ON_REQUEST);
	}

	/**
	 * Create settings that keep {@value #DEFAULT_KEEP_LAST_ON_REQUEST} backups taken on
	 * request.
	 * @param directory where backups are written
	 * @param pgDumpPath the {@code pg_dump} executable, or {@code null}
	 * @param format the output format
	 * @param scope what to back up
	 * @param verify how far each backup is checked
	 * @param timeout how long a backup may take
	 * @param progressInterval how often to log progress
	 * @param keepLast how many backups taken before a schema change to keep
	 */
	public PgDumpSettings(Path directory, @Nullable Path pgDumpPath, PgDumpFormat format, BackupScope scope,
			BackupVerification verify, Duration timeout, Duration progressInterval, int keepLast) {
		this(directory, pgDumpPath, format, scope, verify, timeout, progressInterval, keepLast,
				DEFAULT_KEEP_LAST_ON_REQUEST);
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
