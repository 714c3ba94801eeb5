package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.testsupport.PgClientWrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Finding PostgreSQL's client programs and reading their versions.
 */
class PgClientTests {

	@TempDir
	Path temp;

	@Test
	void pgDumpIsFoundOnThePathWithItsVersion() {
		PgClient pgDump = PgClient.find("pg_dump", null, "migrations.backup.pg-dump.path",
				this.temp + ":" + PgClientWrappers.real("pg_dump").getParent());
		assertThat(pgDump.major()).isGreaterThanOrEqualTo(15);
		assertThat(pgDump.version()).matches("\\d+\\.\\d+");
	}

	@Test
	void noPgDumpOnThePathIsRefusedWithEveryWayOut() {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgClient.find("pg_dump", null, "migrations.backup.pg-dump.path", this.temp.toString()))
			.withMessage("No pg_dump found on the PATH (" + this.temp + ")")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("apt-get install postgresql-client-<major>")
				.contains("migrations.backup.pg-dump.path")
				.contains("migrations.backup.strategy=none")
				.contains("BackupStrategy bean"));
	}

	@Test
	void aProgramThatIsNotPostgresqlsIsRefused() throws Exception {
		Path fake = PgClientWrappers.script(this.temp.resolve("pg_dump"), "echo 'pg_dump from nowhere 1.0'");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgClient.find("pg_dump", fake, "migrations.backup.pg-dump.path"))
			.withMessageContaining("--version did not report a PostgreSQL version");
	}

	@Test
	void pgRestoreIsLookedForBesideAConfiguredPgDump() throws Exception {
		Path bin = this.temp.resolve("bin");
		Path pgDump = PgClientWrappers.pgDump(bin, "exec \"$REAL_PG_DUMP\" \"$@\"");
		assertThat(PgClient.find("pg_restore", pgDump, "migrations.backup.pg-dump.path").path())
			.isEqualTo(bin.resolve("pg_restore"));
	}

	@Test
	void aClientIsAskedItsVersionAgainOnlyWhenItChangedOnDisk() throws Exception {
		Path calls = this.temp.resolve("calls");
		Path fake = PgClientWrappers.script(this.temp.resolve("pg_dump"),
				"echo x >> '" + calls + "'; echo 'pg_dump (PostgreSQL) 15.4'");
		assertThat(PgClient.find("pg_dump", fake, "migrations.backup.pg-dump.path").version()).isEqualTo("15.4");
		assertThat(PgClient.find("pg_dump", fake, "migrations.backup.pg-dump.path").version()).isEqualTo("15.4");
		assertThat(Files.readAllLines(calls)).as("asked once").hasSize(1);
		PgClientWrappers.script(fake, "echo x >> '" + calls + "'; echo 'pg_dump (PostgreSQL) 16.2'");
		Files.setLastModifiedTime(fake, FileTime.from(Instant.now().plusSeconds(5)));
		assertThat(PgClient.find("pg_dump", fake, "migrations.backup.pg-dump.path").version())
			.as("an upgraded client is asked again").isEqualTo("16.2");
		assertThat(Files.readAllLines(calls)).hasSize(2);
	}

}
