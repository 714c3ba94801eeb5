package io.apiforge.migrations.backup.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.backup.pgdump.BackupVerification;
import io.apiforge.migrations.backup.pgdump.PgDumpBackupStrategy;
import io.apiforge.migrations.backup.pgdump.PgDumpFormat;
import io.apiforge.migrations.backup.pgdump.PgDumpSettings;
import io.apiforge.migrations.testsupport.PgClientWrappers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.backup.strategy=auto} before it chooses: its name is read while the
 * application starts (the backup meters' tag), so it looks for {@code pg_dump} on the
 * file system and runs nothing. Choosing, with a database, is in
 * {@link AutoBackupStrategyIntegrationTests}.
 */
class AutoBackupStrategyTests {

	@TempDir
	Path temp;

	@Test
	void beforeTheChoiceTheNameLooksForPgDumpWithoutRunningIt() throws Exception {
		Path ran = this.temp.resolve("ran");
		Path pgDump = this.temp.resolve("bin/pg_dump");
		Files.createDirectories(pgDump.getParent());
		PgClientWrappers.script(pgDump, "touch '" + ran + "'\necho 'pg_dump (PostgreSQL) 15.4'");
		AutoBackupStrategy auto = strategy(pgDump);
		assertThat(auto.name()).isEqualTo("pg-dump");
		assertThat(auto.describe()).startsWith("pg-dump");
		assertThat(auto.chosen()).isNull();
		assertThat(ran).as("pg_dump was run to find out the name").doesNotExist();
	}

	@Test
	void beforeTheChoiceWithoutPgDumpTheNameIsJdbc() {
		AutoBackupStrategy auto = strategy(this.temp.resolve("nowhere/pg_dump"));
		assertThat(auto.name()).isEqualTo("jdbc");
		assertThat(auto.describe()).contains("no pg_dump found");
	}

	private AutoBackupStrategy strategy(Path pgDumpPath) {
		Path directory = this.temp.resolve("backups");
		PgDumpBackupStrategy pgDump = new PgDumpBackupStrategy(new PgDumpSettings(directory, pgDumpPath,
				PgDumpFormat.CUSTOM, BackupScope.DATABASE, BackupVerification.LIST, Duration.ofMinutes(1),
				Duration.ofSeconds(10), 3), Clock.systemUTC());
		JdbcBackupStrategy jdbc = new JdbcBackupStrategy(
				new JdbcBackupSettings(directory, BackupScope.DATABASE, true, Duration.ofMinutes(1), 3),
				Clock.systemUTC());
		return AutoBackupStrategy.of(pgDump, pgDumpPath, jdbc);
	}

}
