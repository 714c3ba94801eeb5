package io.apiforge.migrations.backup.pgdump;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The password of a {@link PgConnection} in a libpq passfile ({@code PGPASSFILE}), in a
 * directory of its own that only this user can enter ({@code 0700}, the file {@code 0600}),
 * under the system's temporary directory. The file is locked while it exists
 * ({@link LockedFile}); {@link #close()} deletes it and its directory on every path, and
 * {@link #deleteLeftovers} removes those of a process that died before it could.
 *
 * @author apiforge
 */
final class PassFile implements Closeable {

	static final String DIRECTORY_PREFIX = "migrations-pgpass-";

	private static final String FILE_NAME = "pgpass";

	private static final Log logger = LogFactory.getLog(PassFile.class);

	private final Path directory;

	private final LockedFile file;

	private PassFile(Path directory, LockedFile file) {
		this.directory = directory;
		this.file = file;
	}

	/**
	 * Write the password of a connection to a new passfile.
	 * @param connection the connection
	 * @return the passfile, or {@code null} when the connection has no password
	 * @throws IOException when it cannot be written
	 */
	static @Nullable PassFile write(PgConnection connection) throws IOException {
		return write(connection, Path.of(System.getProperty("java.io.tmpdir")));
	}

	static @Nullable PassFile write(PgConnection connection, Path root) throws IOException {
		String password = connection.password();
		if (password == null) {
			return null;
		}
		Path directory = Files.createTempDirectory(root, DIRECTORY_PREFIX,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		try {
			LockedFile file = LockedFile.create(directory.resolve(FILE_NAME));
			PassFile passFile = new PassFile(directory, file);
			String line = String.join(":", escape(connection.host()), Integer.toString(connection.port()),
					escape(connection.database()), escape((connection.user() != null) ? connection.user() : "*"),
					escape(password));
			byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
			try {
				file.write(bytes, 0, bytes.length);
			}
			catch (IOException ex) {
				passFile.close();
				throw ex;
			}
			return passFile;
		}
		catch (IOException ex) {
			Files.deleteIfExists(directory);
			throw ex;
		}
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace(":", "\\:");
	}

	/**
	 * Return the passfile.
	 * @return the file, for {@code PGPASSFILE}
	 */
	Path path() {
		return this.file.path();
	}

	/**
	 * Delete the passfile and its directory.
	 */
	@Override
	public void close() {
		try {
			Files.deleteIfExists(this.file.path());
			this.file.close();
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete the temporary passfile " + this.file.path()
					+ "; it is removed by the next backup", ex);
		}
	}

	/**
	 * Delete the passfiles (and their directories) that a dead process left under the
	 * system's temporary directory: those whose lock nobody holds.
	 * @param staleAfter the age after which a passfile that cannot be locked counts as a
	 * leftover
	 * @return how many were deleted
	 */
	static int deleteLeftovers(Duration staleAfter) {
		return deleteLeftovers(Path.of(System.getProperty("java.io.tmpdir")), staleAfter);
	}

	static int deleteLeftovers(Path root, Duration staleAfter) {
		int deleted = 0;
		try (DirectoryStream<Path> directories = Files.newDirectoryStream(root, DIRECTORY_PREFIX + "*")) {
			for (Path directory : directories) {
				if (deleteIfLeftover(directory, staleAfter)) {
					deleted++;
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not look for leftover passfiles in " + root, ex);
		}
		return deleted;
	}

	private static boolean deleteIfLeftover(Path directory, Duration staleAfter) {
		try {
			if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
				// Another user's, or not ours at all.
				return false;
			}
			Path file = directory.resolve(FILE_NAME);
			if (Files.exists(file)) {
				if (!LockedFile.deleteIfLeftover(file, staleAfter)) {
					return false;
				}
			}
			else if (Files.getLastModifiedTime(directory).toInstant().isAfter(Instant.now().minus(staleAfter))) {
				// Just created by a live process that has not written its passfile yet.
				return false;
			}
			Files.deleteIfExists(directory);
			logger.info("Deleted the temporary passfile directory " + directory + " left by a process that died");
			return true;
		}
		catch (IOException ex) {
			logger.debug("Could not delete the leftover passfile directory " + directory, ex);
			return false;
		}
	}

}
