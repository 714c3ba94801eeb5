package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

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
 * @param keepLast how many backups to keep in the directory
 * @author apiforge
 */
public record PgDumpSettings(Path directory, @Nullable Path pgDumpPath, PgDumpFormat format, BackupScope scope,
		BackupVerification verify, Duration timeout, Duration progressInterval, int keepLast) {

	public PgDumpSettings {
		Assert.notNull(directory, "'directory' must not be null");
		Assert.notNull(verify, "'verify' must not be null");
		Assert.isTrue(keepLast >= 1, "'keepLast' must be at least 1");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
		Assert.isTrue(!progressInterval.isNegative() && !progressInterval.isZero(), "'progressInterval' must be positive");
	}

	/**
	 * Create settings with the verification of the former boolean
	 * {@code migrations.backup.verify}: {@code true} is {@link BackupVerification#LIST},
	 * {@code false} is {@link BackupVerification#NONE}.
	 * @param directory where backups are written
	 * @param pgDumpPath the {@code pg_dump} executable, or {@code null}
	 * @param format the output format
	 * @param scope what to back up
	 * @param verify whether to check each backup with {@code pg_restore --list}
	 * @param timeout how long a backup may take
	 * @param progressInterval how often to log progress
	 * @param keepLast how many backups to keep
	 */
	public PgDumpSettings(Path directory, @Nullable Path pgDumpPath, PgDumpFormat format, BackupScope scope,
			boolean verify, Duration timeout, Duration progressInterval, int keepLast) {
		this(directory, pgDumpPath, format, scope, verify ? BackupVerification.LIST : BackupVerification.NONE, timeout,
				progressInterval, keepLast);
	}

}
