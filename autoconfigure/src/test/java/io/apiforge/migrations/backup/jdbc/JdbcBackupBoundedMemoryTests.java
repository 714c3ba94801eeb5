package io.apiforge.migrations.backup.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.pgdump.BackupInChildJvm;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code jdbc} backup streams: a table four times larger than the heap of the JVM
 * that dumps it (a child JVM with {@code -Xmx24m}) is dumped, verified, and restores to
 * the same rows.
 */
@WithPostgres
class JdbcBackupBoundedMemoryTests {

	private static final int HEAP_MB = 24;

	private static final String CHECKSUM = "SELECT count(*) || ' ' || md5(string_agg(md5(payload), '' ORDER BY id)) FROM wide";

	@TempDir
	Path temp;

	@Test
	void aTableFourTimesLargerThanTheHeapIsDumpedAndRestoresToTheSameRows(TestDatabase database,
			PostgresServer server) throws Exception {
		// 50,000 rows of 2 KiB of hex that gzip cannot fold away: about 100 MB of COPY data.
		database.jdbc()
			.execute("CREATE TABLE wide AS SELECT g AS id, (SELECT string_agg(md5((g * 64 + i)::text), '') "
					+ "FROM generate_series(1, 64) i) AS payload FROM generate_series(1, 50000) g");
		long bytes = database.jdbc().queryForObject("SELECT sum(octet_length(payload)) FROM wide", Long.class);
		assertThat(bytes).as("the table is at least four times the child's heap").isGreaterThan(4L * HEAP_MB << 20);
		String before = database.jdbc().queryForObject(CHECKSUM, String.class);
		Path directory = this.temp.resolve("backups");
		ProcessBuilder builder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx" + HEAP_MB + "m", "-cp", System.getProperty("java.class.path"), BackupInChildJvm.class.getName(),
				directory.toString(), JdbcBackupStrategy.NAME))
			.redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("jvm.log").toFile());
		builder.environment().put("BACKUP_JDBC_URL", database.jdbcUrl());
		builder.environment().put("BACKUP_USER", database.username());
		builder.environment().put("BACKUP_PASSWORD", (database.password() != null) ? database.password() : "");
		Process jvm = builder.start();
		assertThat(jvm.waitFor(5, TimeUnit.MINUTES)).as("the child JVM finished").isTrue();
		String output = Files.readString(this.temp.resolve("jvm.log"));
		assertThat(jvm.exitValue()).as(output).isZero();
		assertThat(output).doesNotContain("OutOfMemoryError");
		Path backup = Path.of(output.lines().filter((line) -> line.startsWith("BACKUP ")).findFirst().orElseThrow()
			.substring("BACKUP ".length()));
		try (TestDatabase restored = TestDatabase.create(server)) {
			new JdbcBackupRestorer().restore(backup, restored.dataSource());
			assertThat(restored.jdbc().queryForObject(CHECKSUM, String.class)).isEqualTo(before);
		}
	}

}
