package io.apiforge.migrations.backup;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.FileSystemUtils;

/**
 * A file this process writes, created owner-only ({@code 0600}) and held under an
 * exclusive lock for as long as it is open. The operating system drops the lock when the
 * process dies, however it dies, so a later backup (in this process or another one
 * sharing the directory) tells a file being written from one left behind by a dead
 * process: {@link #deleteIfLeftover} deletes a file only when it can take its lock.
 * A directory cannot be locked itself: a partial directory (the directory format's) is
 * held by a locked sibling file, {@link #lockOf its lock file}, created before the
 * directory and deleted after it.
 * <p>
 * POSIX releases every lock a process holds on a file as soon as it closes any
 * descriptor of that file, so files this process holds are remembered here and never
 * probed: that set is process-wide because the locks are.
 *
 * @author apiforge
 */
public final class LockedFile implements Closeable {

	/** The suffix of a partial directory's lock file. */
	private static final String LOCK_SUFFIX = ".lock";

	private static final Log logger = LogFactory.getLog(LockedFile.class);

	private static final Set<Path> held = ConcurrentHashMap.newKeySet();

	private final Path path;

	private final FileChannel channel;

	private final FlushBehind flushBehind;

	private LockedFile(Path path, FileChannel channel, long flushEvery) {
		this.path = path;
		this.channel = channel;
		this.flushBehind = new FlushBehind(channel, flushEvery);
	}

	/**
	 * Create a new file, owner-only, and lock it.
	 * @param file the file, which must not exist
	 * @return the open, locked file
	 * @throws IOException when it cannot be created or locked
	 */
	public static LockedFile create(Path file) throws IOException {
		return create(file, FlushBehind.DEFAULT_EVERY);
	}

	/**
	 * Create a new file, owner-only, and lock it.
	 * @param file the file, which must not exist
	 * @param flushEvery how many bytes are written between two forces behind the writer
	 * @return the open, locked file
	 * @throws IOException when it cannot be created or locked
	 */
	static LockedFile create(Path file, long flushEvery) throws IOException {
		Path path = file.toAbsolutePath().normalize();
		FileChannel channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		held.add(path);
		try {
			lock(channel);
			return new LockedFile(path, channel, flushEvery);
		}
		catch (IOException | RuntimeException ex) {
			held.remove(path);
			channel.close();
			Files.deleteIfExists(path);
			throw ex;
		}
	}

	private static void lock(FileChannel channel) throws IOException {
		try {
			channel.lock();
		}
		catch (IOException ex) {
			// A file system without locks (some network mounts): the file is still written;
			// leftovers are then recognised by their age alone (deleteIfLeftover).
			logger.debug("Could not lock " + channel + "; leftovers are recognised by age on this file system", ex);
		}
	}

	/**
	 * Return the lock file of a partial directory, which holds the directory while it is
	 * written.
	 * @param partial the partial directory
	 * @return its lock file, beside it
	 */
	public static Path lockOf(Path partial) {
		return partial.resolveSibling(partial.getFileName() + LOCK_SUFFIX);
	}

	public Path path() {
		return this.path;
	}

	/**
	 * Append bytes. Every 16 MB written, what was written is forced to the storage device
	 * on a thread of its own ({@link FlushBehind}), so that {@link #force()} has little
	 * left to do.
	 * @param bytes the bytes
	 * @param offset where they start
	 * @param length how many
	 * @throws IOException when they cannot be written (a full disk, a size limit), or
	 * when forcing what was written before failed
	 */
	public void write(byte[] bytes, int offset, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
		while (buffer.hasRemaining()) {
			this.channel.write(buffer);
		}
		this.flushBehind.written(length);
	}

	/**
	 * Force what was written (data and metadata) to the storage device, so that the file
	 * survives a power loss.
	 * @throws IOException when the device reports a failure, now or while forcing behind
	 * the writer
	 */
	public void force() throws IOException {
		this.flushBehind.awaitAndRethrow();
		this.channel.force(true);
	}

	/**
	 * Return how many forces behind the writer completed so far.
	 * @return the count
	 */
	int forcesBehind() {
		return this.flushBehind.forces();
	}

	/**
	 * Close the file and release its lock. A caller that renames the file does so before,
	 * so that the partial name is never seen unlocked while the file is still wanted.
	 */
	@Override
	public void close() throws IOException {
		this.flushBehind.stop();
		try {
			this.channel.close();
		}
		finally {
			held.remove(this.path);
		}
	}

	/**
	 * Delete a file when it is a leftover of a dead process: nobody holds its lock (or,
	 * on a file system without locks, it was not modified for {@code staleAfter}).
	 * @param file the file
	 * @param staleAfter the age after which an unlockable file counts as a leftover
	 * @return whether it was deleted
	 */
	public static boolean deleteIfLeftover(Path file, Duration staleAfter) {
		Path path = file.toAbsolutePath().normalize();
		if (held.contains(path)) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
			try {
				FileLock lock = channel.tryLock();
				if (lock == null) {
					// Held by a live process: a backup in progress.
					return false;
				}
			}
			catch (OverlappingFileLockException ex) {
				return false;
			}
			catch (IOException ex) {
				if (Files.getLastModifiedTime(path).toInstant().isAfter(Instant.now().minus(staleAfter))) {
					return false;
				}
			}
			Files.delete(path);
			return true;
		}
		catch (IOException ex) {
			logger.debug("Could not check or delete " + path, ex);
			return false;
		}
	}

	/**
	 * Delete what backups of dead processes left in a backup directory: partial backups
	 * and sidecars ({@link BackupFileName#isPartial}) whose lock nobody holds (see
	 * {@link #deleteIfLeftover}), partial directories whose lock file nobody holds (or
	 * that have none), and lock files nobody holds whose directory is gone.
	 * @param directory the backup directory
	 * @param staleAfter the age after which an unlockable file counts as a leftover
	 */
	public static void deleteLeftovers(Path directory, Duration staleAfter) {
		try (Stream<Path> files = Files.list(directory)) {
			files.filter((file) -> isPartialOrItsLock(file.getFileName().toString()))
				.filter((file) -> deletePartialIfLeftover(file, staleAfter))
				.forEach((file) -> logger.info("Deleted " + file + ", left by a backup whose process died"));
		}
		catch (IOException ex) {
			logger.debug("Could not look for leftover partial files in " + directory, ex);
		}
	}

	private static boolean isPartialOrItsLock(String name) {
		if (name.endsWith(LOCK_SUFFIX)) {
			name = name.substring(0, name.length() - LOCK_SUFFIX.length());
		}
		return BackupFileName.isPartial(name);
	}

	private static boolean deletePartialIfLeftover(Path partial, Duration staleAfter) {
		String name = partial.getFileName().toString();
		if (name.endsWith(LOCK_SUFFIX)) {
			Path directory = partial.resolveSibling(name.substring(0, name.length() - LOCK_SUFFIX.length()));
			// With its directory, the lock is the directory's to delete.
			return !Files.exists(directory) && deleteIfLeftover(partial, staleAfter);
		}
		if (!Files.isDirectory(partial)) {
			return deleteIfLeftover(partial, staleAfter);
		}
		Path lock = lockOf(partial);
		if (Files.exists(lock) && !deleteIfLeftover(lock, staleAfter)) {
			return false;
		}
		try {
			return FileSystemUtils.deleteRecursively(partial);
		}
		catch (IOException ex) {
			logger.debug("Could not delete " + partial, ex);
			return false;
		}
	}

	/**
	 * Force a directory's entries (a rename into it) to the storage device, where the
	 * operating system allows opening a directory (Linux and macOS do, Windows does not).
	 * @param directory the directory
	 */
	public static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			logger.debug("Could not force " + directory + " to disk; this platform does not sync directories", ex);
		}
	}

}
