package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The files of {@code jdbc} backups in the backup directory: their names
 * ({@code 20261124T101500Z_v2_to_v3.sql.gz}, sorting by time, beside a {@code .json}
 * sidecar), owner-only partial files held under a lock while written, leftovers of dead
 * processes, and retention. The same rules as the {@code pg-dump} strategy's (whose
 * helpers are private to its package), for names only this strategy writes.
 *
 * @author apiforge
 */
final class JdbcBackupFiles {

	static final String EXTENSION = ".sql.gz";

	static final String METADATA_SUFFIX = ".json";

	private static final Log logger = LogFactory.getLog(JdbcBackupFiles.class);

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Pattern BACKUP = Pattern
		.compile("\\d{8}T\\d{6}Z_(empty|v[A-Za-z0-9._-]+)_to_(empty|v[A-Za-z0-9._-]+)(_\\d+)?\\.sql\\.gz");

	/**
	 * Partial files this process writes. POSIX drops every lock a process holds on a file
	 * when it closes any descriptor of it, so these are never probed for leftovers: the
	 * set is process-wide because the locks are.
	 */
	private static final Set<Path> held = ConcurrentHashMap.newKeySet();

	private JdbcBackupFiles() {
	}

	static String freeName(Path directory, Instant at, @Nullable String fromVersion, @Nullable String toVersion) {
		for (int attempt = 0;; attempt++) {
			String name = TIMESTAMP.format(at) + "_" + version(fromVersion) + "_to_" + version(toVersion)
					+ ((attempt > 0) ? "_" + attempt : "") + EXTENSION;
			if (!Files.exists(directory.resolve(name)) && !Files.exists(directory.resolve(partial(name)))) {
				return name;
			}
		}
	}

	static boolean isBackup(String name) {
		return BACKUP.matcher(name).matches();
	}

	static String partial(String name) {
		return "." + name + ".partial";
	}

	static String metadata(String name) {
		return name + METADATA_SUFFIX;
	}

	/**
	 * Create a partial file, owner-only, and lock it.
	 */
	static FileChannel createLocked(Path file) throws IOException {
		Path path = file.toAbsolutePath().normalize();
		FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		held.add(path);
		try {
			channel.lock();
		}
		catch (IOException ex) {
			// A file system without locks: the file is still written, and leftovers are
			// then left for an operator.
			logger.debug("Could not lock " + path, ex);
		}
		return channel;
	}

	static void release(Path file) {
		held.remove(file.toAbsolutePath().normalize());
	}

	/**
	 * Write the sidecar atomically.
	 */
	static void writeMetadata(Path directory, String name, String json) throws IOException {
		Path target = directory.resolve(metadata(name));
		Path partial = directory.resolve(partial(metadata(name)));
		try (FileChannel channel = createLocked(partial)) {
			channel.write(java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
			channel.force(true);
			Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			release(partial);
			Files.deleteIfExists(partial);
		}
	}

	/**
	 * Delete the partial files of {@code jdbc} backups whose process died: those whose
	 * lock nobody holds.
	 */
	static void deleteLeftovers(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			files.filter((file) -> isPartial(file.getFileName().toString()))
				.filter((file) -> !held.contains(file.toAbsolutePath().normalize()))
				.filter(JdbcBackupFiles::deleteIfUnlocked)
				.forEach((file) -> logger.info("Deleted " + file + ", left by a backup whose process died"));
		}
		catch (IOException ex) {
			logger.debug("Could not look for leftover partial files in " + directory, ex);
		}
	}

	private static boolean isPartial(String name) {
		if (!name.startsWith(".") || !name.endsWith(".partial")) {
			return false;
		}
		String backup = name.substring(1, name.length() - ".partial".length());
		if (backup.endsWith(METADATA_SUFFIX)) {
			backup = backup.substring(0, backup.length() - METADATA_SUFFIX.length());
		}
		return BACKUP.matcher(backup).matches();
	}

	private static boolean deleteIfUnlocked(Path file) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return false;
			}
			Files.delete(file);
			return true;
		}
		catch (IOException | OverlappingFileLockException ex) {
			return false;
		}
	}

	/**
	 * Keep the newest {@code keepLast} {@code jdbc} backups (with a sidecar), never the
	 * one just taken among those deleted.
	 */
	static void applyRetention(Path directory, int keepLast, String justTaken) {
		List<String> backups;
		try (Stream<Path> files = Files.list(directory)) {
			backups = files.map((file) -> file.getFileName().toString())
				.filter((name) -> BACKUP.matcher(name).matches())
				.filter((name) -> Files.isRegularFile(directory.resolve(metadata(name))))
				.sorted(Comparator.reverseOrder())
				.toList();
		}
		catch (IOException ex) {
			logger.warn("Could not list " + directory + " to apply backup retention; no backup deleted", ex);
			return;
		}
		backups.stream().filter((name) -> !name.equals(justTaken)).skip(Math.max(0, keepLast - 1)).forEach((name) -> {
			try {
				Files.deleteIfExists(directory.resolve(name));
				Files.deleteIfExists(directory.resolve(metadata(name)));
				logger.info("Deleted backup " + name + " (migrations.backup.retention.keep-last=" + keepLast + ")");
			}
			catch (IOException ex) {
				logger.warn("Could not delete expired backup " + name, ex);
			}
		});
	}

	static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			logger.debug("Could not force " + directory + " to disk", ex);
		}
	}

	private static String version(@Nullable String version) {
		return (version != null) ? "v" + version.replaceAll("[^A-Za-z0-9._-]", "_") : "empty";
	}

}
