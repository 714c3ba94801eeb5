package io.apiforge.migrations.backup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.pgdump.PgDumpFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one scan for what backups of dead processes left in a backup directory, whichever
 * strategy wrote them: partial files and sidecars, partial directories (the directory
 * format's) and their lock files; never a backup, and never a partial this process
 * holds. And a large file is forced to the device behind its writer.
 */
class LockedFileTests {

	private static final Instant AT = Instant.parse("2026-11-24T10:15:00Z");

	private static final DatabaseIdentity APP = new DatabaseIdentity("app", "1a2b3c4d" + "0".repeat(56),
			DatabaseIdentity.SYSTEM_IDENTIFIER, "db:5432/app");

	private static final Duration STALE_AFTER = Duration.ofDays(1);

	@TempDir
	Path directory;

	@Test
	void aLargeFileIsForcedBehindItsWriterAndReadsBackWhole() throws Exception {
		Path path = this.directory.resolve("large.partial");
		byte[] chunk = new byte[64 * 1024];
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		try (LockedFile file = LockedFile.create(path, 128 * 1024)) {
			for (int i = 0; i < 64; i++) {
				Arrays.fill(chunk, (byte) i);
				file.write(chunk, 0, chunk.length);
				expected.write(chunk);
			}
			file.force();
			assertThat(file.forcesBehind()).as("forces behind the writer before the last one").isPositive();
		}
		assertThat(Files.readAllBytes(path)).isEqualTo(expected.toByteArray());
	}

	@Test
	void aSmallFileIsForcedOnlyWhenAsked() throws Exception {
		try (LockedFile file = LockedFile.create(this.directory.resolve("small.partial"))) {
			byte[] bytes = "a small sidecar".getBytes(StandardCharsets.UTF_8);
			file.write(bytes, 0, bytes.length);
			file.force();
			assertThat(file.forcesBehind()).isZero();
		}
	}

	@Test
	void leftoversOfDeadProcessesAreDeletedAndBackupsAreKept() throws Exception {
		Path deadFile = Files.writeString(partial(PgDumpFormat.CUSTOM, 0), "half a dump");
		Path deadSidecar = Files.writeString(this.directory.resolve(BackupFileName.partial(
				BackupFileName.metadata(name(PgDumpFormat.CUSTOM, 1)))), "{");
		Path deadDirectory = Files.createDirectory(partial(PgDumpFormat.DIRECTORY, 2));
		Files.writeString(deadDirectory.resolve("toc.dat"), "half a dump");
		// The lock is there, but its process is gone: nobody holds it.
		Path deadLock = Files.writeString(LockedFile.lockOf(deadDirectory), "");
		Path directoryWithoutLock = Files.createDirectory(partial(PgDumpFormat.DIRECTORY, 3));
		Path orphanLock = Files.writeString(LockedFile.lockOf(partial(PgDumpFormat.DIRECTORY, 4)), "");
		Path backup = Files.createDirectory(this.directory.resolve(name(PgDumpFormat.DIRECTORY, 5)));
		Path notOurs = Files.writeString(this.directory.resolve(".notes.partial.lock"), "");
		LockedFile.deleteLeftovers(this.directory, STALE_AFTER);
		assertThat(deadFile).doesNotExist();
		assertThat(deadSidecar).doesNotExist();
		assertThat(deadDirectory).doesNotExist();
		assertThat(deadLock).doesNotExist();
		assertThat(directoryWithoutLock).doesNotExist();
		assertThat(orphanLock).doesNotExist();
		assertThat(backup).isDirectory();
		assertThat(notOurs).exists();
	}

	@Test
	void aPartialDirectoryWhoseLockIsHeldIsKeptWithItsLock() throws Exception {
		Path live = partial(PgDumpFormat.DIRECTORY, 0);
		Path liveFile = partial(PgDumpFormat.CUSTOM, 1);
		try (LockedFile lock = LockedFile.create(LockedFile.lockOf(live)); LockedFile file = LockedFile.create(liveFile)) {
			Files.createDirectory(live);
			LockedFile.deleteLeftovers(this.directory, STALE_AFTER);
			assertThat(live).isDirectory();
			assertThat(lock.path()).exists();
			assertThat(liveFile).exists();
		}
	}

	private Path partial(PgDumpFormat format, int attempt) {
		return this.directory.resolve(BackupFileName.partial(name(format, attempt)));
	}

	private static String name(PgDumpFormat format, int attempt) {
		return BackupFileName.of(APP, AT, BackupKind.PRE_MIGRATION, "1", "2", format, attempt);
	}

}
