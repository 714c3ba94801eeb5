package io.apiforge.migrations.backup.jdbc;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.pgdump.BackupScope;

/**
 * How the {@code jdbc} strategy backs up.
 *
 * @param directory where backups are written
 * @param scope what to back up
 * @param verify whether to read each backup back and check it against its manifest
 * @param timeout how long each statement of the dump may take (a table's COPY is one)
 * @param keepLast how many {@code jdbc} backups to keep in the directory
 * @author apiforge
 */
public record JdbcBackupSettings(Path directory, BackupScope scope, boolean verify, Duration timeout, int keepLast) {

	public JdbcBackupSettings {
		Assert.notNull(directory, "'directory' must not be null");
		Assert.notNull(scope, "'scope' must not be null");
		Assert.isTrue(keepLast >= 1, "'keepLast' must be at least 1");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
	}

}
