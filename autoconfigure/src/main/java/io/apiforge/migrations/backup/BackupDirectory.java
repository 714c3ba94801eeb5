package io.apiforge.migrations.backup;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directory the built-in strategies write their backups into
 * ({@code migrations.backup.directory}): created owner-only ({@code 0700}) when missing,
 * and checked to be a writable directory before anything is dumped.
 *
 * @author apiforge
 */
public final class BackupDirectory {

	private BackupDirectory() {
	}

	/**
	 * Create the backup directory if it is missing, and check that it is a writable
	 * directory.
	 * @param directory the configured directory
	 * @return the directory, absolute
	 * @throws BackupException when it is not a directory, cannot be created or is not
	 * writable
	 */
	public static Path prepare(Path directory) {
		Path absolute = directory.toAbsolutePath();
		try {
			if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
				throw new BackupException("The backup directory " + absolute + " is not a directory",
						"Set migrations.backup.directory to a directory (it is created if missing).", null);
			}
			if (!Files.exists(absolute)) {
				Files.createDirectories(absolute,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			if (!Files.isWritable(absolute)) {
				throw new BackupException("The backup directory " + absolute + " is not writable by this process",
						"Make it writable by the application's user, or set migrations.backup.directory to one that is.",
						null);
			}
			return absolute;
		}
		catch (IOException ex) {
			throw new BackupException("Could not create the backup directory " + absolute + ": " + describe(ex),
					"Set migrations.backup.directory to a writable location (in a container, a mounted volume).", ex);
		}
	}

	/**
	 * Return the size of a backup: a file's, or, for a directory-format backup, the total
	 * of its files ({@code pg_dump} writes no subdirectory).
	 * @param backup the backup's file or directory
	 * @return the size in bytes
	 * @throws IOException when it cannot be read
	 */
	public static long sizeOf(Path backup) throws IOException {
		if (!Files.isDirectory(backup)) {
			return Files.size(backup);
		}
		List<Path> files;
		try (Stream<Path> list = Files.list(backup)) {
			files = list.filter(Files::isRegularFile).toList();
		}
		long size = 0;
		for (Path file : files) {
			size += Files.size(file);
		}
		return size;
	}

	/**
	 * Describe a failure to write into the backup directory for a message: a denied
	 * permission in words, anything else by its type and message.
	 * @param ex the failure
	 * @return the description
	 */
	public static String describe(IOException ex) {
		if (ex instanceof AccessDeniedException) {
			return "permission denied (" + ex.getMessage() + ")";
		}
		return ex.getClass().getSimpleName() + ": " + ex.getMessage();
	}

}
