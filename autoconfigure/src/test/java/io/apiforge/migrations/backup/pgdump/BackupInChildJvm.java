package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.postgresql.Driver;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.jdbc.JdbcBackupSettings;
import io.apiforge.migrations.backup.jdbc.JdbcBackupStrategy;

/**
 * A JVM of its own that takes one backup, for tests that kill the JVM while it does or
 * give it a small heap: {@code BackupInChildJvm <directory> <format>} (a
 * {@link PgDumpFormat}, or {@code jdbc} for the {@code jdbc} strategy), the database from
 * the environment
 * ({@code BACKUP_JDBC_URL}, {@code BACKUP_USER}, {@code BACKUP_PASSWORD}). Prints the
 * backup's location, or the failure, and exits with 0 or 1.
 */
public final class BackupInChildJvm {

	private BackupInChildJvm() {
	}

	public static void main(String[] args) {
		SimpleDriverDataSource dataSource = new SimpleDriverDataSource(new Driver(), System.getenv("BACKUP_JDBC_URL"),
				System.getenv("BACKUP_USER"), System.getenv("BACKUP_PASSWORD"));
		try {
			BackupStrategy strategy = args[1].equals(JdbcBackupStrategy.NAME)
					? new JdbcBackupStrategy(new JdbcBackupSettings(Path.of(args[0]), BackupScope.DATABASE, true,
							Duration.ofMinutes(5), 10), Clock.systemUTC())
					: new PgDumpBackupStrategy(new PgDumpSettings(Path.of(args[0]), null, PgDumpFormat.valueOf(args[1]),
							BackupScope.DATABASE, true, Duration.ofMinutes(5), Duration.ofSeconds(1), 10), Clock.systemUTC());
			BackupRecord backup = strategy.backup(new BackupRequest(dataSource, List.of(), "1", "2", 1));
			System.out.println("BACKUP " + backup.location());
			System.exit(0);
		}
		catch (RuntimeException ex) {
			System.out.println("FAILED " + ex.getMessage());
			System.exit(1);
		}
	}

}
