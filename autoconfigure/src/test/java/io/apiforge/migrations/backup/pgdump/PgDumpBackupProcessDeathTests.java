package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.LockedFile;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a backup leaves when its JVM dies during the dump (a probe killing the pod, an OOM
 * kill, a full disk): a JVM of its own, started by the test, backs up a database large
 * enough to take a few seconds and is killed half-way.
 */
@WithPostgres
class PgDumpBackupProcessDeathTests {

	private static final long HALF_WAY = 1024 * 1024;

	@TempDir
	Path temp;

	@Test
	void aJvmKilledDuringADumpTakesPgDumpWithItAndTheNextBackupRemovesWhatItLeft(TestDatabase database)
			throws Exception {
		fill(database);
		Path directory = this.temp.resolve("backups");
		Process jvm = startBackup(database, directory, "CUSTOM", null);
		try {
			Path partial = awaitPartialFile(directory, jvm);
			ProcessHandle pgDump = pgDumpOf(jvm).orElseThrow(() -> new AssertionError(
					"pg_dump had already ended when " + HALF_WAY + " bytes were written: " + output(jvm)));
			Path passFiles = passFileDirectoryOf(database);
			assertThat(LockedFile.deleteIfLeftover(partial, Duration.ofDays(1)))
				.as("the partial file of a backup that is running is not a leftover")
				.isFalse();
			jvm.destroyForcibly().waitFor();
			Eventually.await("pg_dump " + pgDump.pid() + " to stop after its JVM was killed", () -> isGone(pgDump));
			assertThat(partial).as("nothing could delete it: its process was killed").exists();
			assertThat(passFiles).exists();
			BackupRecord next = PgDumpBackupStrategyTests.strategy(PgDumpBackupStrategyTests.settings(directory))
				.backup(PgDumpBackupStrategyTests.request(database));
			assertThat(partial).doesNotExist();
			assertThat(passFiles).doesNotExist();
			assertThat(PgDumpBackupStrategyTests.filesIn(directory)).containsExactlyInAnyOrder(
					Path.of(next.location()).getFileName().toString(),
					Path.of(next.location()).getFileName() + ".json");
		}
		finally {
			jvm.destroyForcibly();
		}
	}

	@Test
	void anOrderlyShutdownDuringADumpStopsPgDump(TestDatabase database) throws Exception {
		fill(database);
		Path directory = this.temp.resolve("backups");
		Process jvm = startBackup(database, directory, "PLAIN", null);
		try {
			awaitPartialFile(directory, jvm);
			ProcessHandle pgDump = pgDumpOf(jvm).orElseThrow(() -> new AssertionError(
					"pg_dump had already ended when " + HALF_WAY + " bytes were written: " + output(jvm)));
			jvm.destroy();
			jvm.waitFor();
			assertThat(isGone(pgDump)).as("the shutdown hook killed pg_dump before the JVM ended").isTrue();
		}
		finally {
			jvm.destroyForcibly();
		}
	}

	@Test
	void aDiskThatFillsUpFailsTheBackupStopsPgDumpAndLeavesNothing(TestDatabase database) throws Exception {
		// About 4 MB of dump: eight times the limit below.
		fill(database, 100_000);
		Path directory = this.temp.resolve("backups");
		// A file size limit of 512 KiB on the JVM: its writes fail as on a full disk.
		Process jvm = startBackup(database, directory, "CUSTOM", "ulimit -f 1024");
		assertThat(jvm.waitFor()).as(output(jvm)).isEqualTo(1);
		assertThat(output(jvm)).contains("FAILED Could not write the backup to " + directory)
			.contains("File too large");
		assertThat(PgDumpBackupStrategyTests.filesIn(directory)).isEmpty();
	}

	/**
	 * A table large enough that pg_dump is still running when the backup has written
	 * {@link #HALF_WAY} bytes.
	 */
	private static void fill(TestDatabase database) {
		fill(database, 1_500_000);
	}

	private static void fill(TestDatabase database, int rows) {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		database.jdbc()
			.execute("CREATE TABLE filler WITH (autovacuum_enabled = false) AS SELECT g AS id, md5(g::text) AS a, "
					+ "md5((-g)::text) AS b "
					+ "FROM generate_series(1, " + rows + ") g");
	}

	private Process startBackup(TestDatabase database, Path directory, String format, String shellPrefix)
			throws IOException {
		List<String> java = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m", "-cp",
				System.getProperty("java.class.path"), BackupInChildJvm.class.getName(), directory.toString(), format);
		List<String> command = new ArrayList<>();
		if (shellPrefix != null) {
			command.addAll(List.of("sh", "-c", shellPrefix + "; exec \"$@\"", "sh"));
		}
		command.addAll(java);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.temp.resolve("jvm.log").toFile());
		builder.environment().put("BACKUP_JDBC_URL", database.jdbcUrl());
		builder.environment().put("BACKUP_USER", database.username());
		builder.environment().put("BACKUP_PASSWORD", database.password());
		return builder.start();
	}

	private Path awaitPartialFile(Path directory, Process jvm) {
		Path[] partial = new Path[1];
		Eventually.await("the backup to write " + HALF_WAY + " bytes", () -> {
			assertThat(jvm.isAlive()).as("the backup ended early: %s", output(jvm)).isTrue();
			partial[0] = partialFile(directory);
			return partial[0] != null && size(partial[0]) >= HALF_WAY;
		});
		return partial[0];
	}

	private static Path partialFile(Path directory) {
		if (!Files.isDirectory(directory)) {
			return null;
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".dump.partial")
					|| file.getFileName().toString().endsWith(".sql.partial")).findFirst().orElse(null);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			return 0;
		}
	}

	private static Optional<ProcessHandle> pgDumpOf(Process jvm) {
		return jvm.descendants()
			.filter((process) -> process.info().command().map((command) -> command.endsWith("/pg_dump")).orElse(false))
			.findFirst();
	}

	/**
	 * The private directory of the child's passfile: the one whose passfile names this
	 * test's database.
	 */
	private static Path passFileDirectoryOf(TestDatabase database) throws IOException {
		try (Stream<Path> directories = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return directories.filter((directory) -> directory.getFileName().toString().startsWith(PgClientFiles.DIRECTORY_PREFIX))
				.filter((directory) -> {
					try {
						return Files.readString(directory.resolve("pgpass.conf")).contains(":" + database.name() + ":");
					}
					catch (IOException ex) {
						return false;
					}
				})
				.findFirst()
				.orElseThrow(() -> new AssertionError("No passfile of " + database.name() + " in the temporary directory"));
		}
	}

	/**
	 * Whether a process is gone: ended, or a zombie (which holds no connection, lock or
	 * file) that the container's init has not reaped yet.
	 */
	private static boolean isGone(ProcessHandle process) {
		if (!process.isAlive()) {
			return true;
		}
		try {
			String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
			return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
		}
		catch (IOException ex) {
			return true;
		}
	}

	private String output(Process jvm) {
		try {
			return Files.readString(this.temp.resolve("jvm.log"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

}
