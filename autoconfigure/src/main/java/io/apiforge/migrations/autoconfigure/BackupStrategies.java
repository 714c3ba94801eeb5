package io.apiforge.migrations.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;

import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.NoBackupStrategy;
import io.apiforge.migrations.backup.jdbc.AutoBackupStrategy;
import io.apiforge.migrations.backup.jdbc.JdbcBackupSettings;
import io.apiforge.migrations.backup.jdbc.JdbcBackupStrategy;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.backup.pgdump.BackupVerification;
import io.apiforge.migrations.backup.pgdump.PgDumpBackupStrategy;
import io.apiforge.migrations.backup.pgdump.PgDumpSettings;

/**
 * Builds the built-in {@link BackupStrategy} that {@code migrations.backup.*} chooses:
 * for the application's own schema, and for each tenant (its own directory, its own
 * schema only).
 *
 * @author apiforge
 */
final class BackupStrategies {

	private BackupStrategies() {
	}

	/**
	 * Build the strategy {@code migrations.backup.strategy} names.
	 * @param backup the backup properties
	 * @param directory where the backups go
	 * @param scope what they hold
	 * @return the strategy
	 */
	static BackupStrategy create(MigrationsProperties.Backup backup, Path directory, BackupScope scope) {
		if (backup.getStrategy() == BackupStrategyType.NONE) {
			return new NoBackupStrategy();
		}
		PgDumpBackupStrategy pgDump = new PgDumpBackupStrategy(new PgDumpSettings(directory,
				backup.getPgDump().getPath(), backup.getFormat(), scope, backup.getVerify(), backup.getTimeout(),
				backup.getProgressInterval(), backup.getRetention().getKeepLast(),
				backup.getRetention().getKeepLastOnRequest(), backup.getJobs()), Clock.systemUTC());
		if (backup.getStrategy() == BackupStrategyType.PG_DUMP) {
			return pgDump;
		}
		// The jdbc script is read back whatever the level above none: it cannot be restored
		// into a scratch database by pg_restore.
		JdbcBackupStrategy jdbc = new JdbcBackupStrategy(new JdbcBackupSettings(directory, scope,
				backup.getVerify() != BackupVerification.NONE, backup.getTimeout(),
				backup.getRetention().getKeepLast(), backup.getRetention().getKeepLastOnRequest()), Clock.systemUTC());
		if (backup.getStrategy() == BackupStrategyType.JDBC) {
			return jdbc;
		}
		return AutoBackupStrategy.of(pgDump, backup.getPgDump().getPath(), jdbc);
	}

	/**
	 * Return whether a strategy is one this class builds, not a bean of the user's.
	 * @param strategy the strategy
	 * @return whether it is built in
	 */
	static boolean isBuiltIn(BackupStrategy strategy) {
		return strategy instanceof PgDumpBackupStrategy || strategy instanceof AutoBackupStrategy
				|| strategy instanceof JdbcBackupStrategy || strategy instanceof NoBackupStrategy;
	}

}
