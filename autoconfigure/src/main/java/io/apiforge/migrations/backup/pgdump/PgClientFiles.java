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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.LockedFile;

/**
 * The secrets a client program needs, in a new private directory ({@code 0700}, files
 * {@code 0600}) that {@link #close()} deletes: the password in a passfile
 * ({@code PGPASSFILE}), and the client key's password in a service file
 * ({@code PGSERVICEFILE} and {@code PGSERVICE}), because libpq reads {@code sslpassword}
 * only as a connection parameter and a service file is the one way to give it one
 * without a command line, which any user of the machine can read.
 * <p>
 * The directory holds a lock file, locked while the files are in use, so that
 * {@link #deleteLeftovers} can tell a dead process's directory (nobody holds its lock)
 * from a live backup's.
 *
 * @author apiforge
 */
final class PgClientFiles implements Closeable {

	/** The prefix of the private directories, so that a dead process's leftovers can be found. */
	static final String DIRECTORY_PREFIX = "migrations-pgclient-";

	static final String SERVICE = "migrations-backup";

	private static final Log logger = LogFactory.getLog(PgClientFiles.class);

	private static final String LOCK_FILE = "in-use";

	private final Path directory;

	private final LockedFile lock;

	private final @Nullable Path passFile;

	private final @Nullable Path serviceFile;

	private PgClientFiles(Path directory, LockedFile lock, @Nullable Path passFile, @Nullable Path serviceFile) {
		this.directory = directory;
		this.lock = lock;
		this.passFile = passFile;
		this.serviceFile = serviceFile;
	}

	/**
	 * Write the secrets of a connection.
	 * @param connection the connection
	 * @return the files; close them when the program has run
	 * @throws IOException when they cannot be written
	 */
	static PgClientFiles write(PgConnection connection) throws IOException {
		Path directory = Files.createTempDirectory(DIRECTORY_PREFIX,
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		try {
			LockedFile lock = LockedFile.create(directory.resolve(LOCK_FILE));
			Path passFile = null;
			if (connection.password() != null) {
				passFile = ownerOnly(directory.resolve("pgpass.conf"),
						String.join(":", escape(connection.host()), Integer.toString(connection.port()),
								escape(connection.database()), escape((connection.user() != null) ? connection.user() : "*"),
								escape(connection.password())));
			}
			Path serviceFile = null;
			String keyPassword = connection.tls().keyPassword();
			if (keyPassword != null) {
				serviceFile = ownerOnly(directory.resolve("pg_service.conf"),
						"[" + SERVICE + "]\nsslpassword=" + keyPassword);
			}
			return new PgClientFiles(directory, lock, passFile, serviceFile);
		}
		catch (IOException | RuntimeException ex) {
			delete(directory);
			throw ex;
		}
	}

	private static Path ownerOnly(Path file, String content) throws IOException {
		Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
		return file;
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace(":", "\\:");
	}

	/**
	 * Return the private directory.
	 * @return the directory
	 */
	Path directory() {
		return this.directory;
	}

	/**
	 * Return the environment that points a client program at these files.
	 * @return the variables
	 */
	Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		if (this.passFile != null) {
			environment.put("PGPASSFILE", this.passFile.toString());
		}
		if (this.serviceFile != null) {
			environment.put("PGSERVICEFILE", this.serviceFile.toString());
			environment.put("PGSERVICE", SERVICE);
		}
		return environment;
	}

	/**
	 * Delete the files and their directory.
	 */
	@Override
	public void close() {
		try {
			this.lock.close();
		}
		catch (IOException ex) {
			logger.debug("Could not release the lock of " + this.directory, ex);
		}
		delete(this.directory);
	}

	/**
	 * Delete the private directories that a dead process left under the system's
	 * temporary directory: those whose lock nobody holds.
	 * @param staleAfter the age after which a directory whose lock cannot be tried (a
	 * file system without locks) counts as a leftover
	 * @return how many were deleted
	 */
	static int deleteLeftovers(Duration staleAfter) {
		return deleteLeftovers(Path.of(System.getProperty("java.io.tmpdir")), staleAfter);
	}

	static int deleteLeftovers(Path root, Duration staleAfter) {
		int deleted = 0;
		try (DirectoryStream<Path> directories = Files.newDirectoryStream(root, DIRECTORY_PREFIX + "*")) {
			for (Path directory : directories) {
				if (isLeftover(directory, staleAfter)) {
					delete(directory);
					logger.info("Deleted the private client files " + directory + " left by a process that died");
					deleted++;
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not look for leftover client files in " + root, ex);
		}
		return deleted;
	}

	private static boolean isLeftover(Path directory, Duration staleAfter) throws IOException {
		if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
			// Another user's, or not ours at all.
			return false;
		}
		Path lock = directory.resolve(LOCK_FILE);
		if (Files.exists(lock)) {
			return LockedFile.deleteIfLeftover(lock, staleAfter);
		}
		// Just created by a live process that has not locked it yet, or left without a lock.
		return Files.getLastModifiedTime(directory).toInstant().isBefore(Instant.now().minus(staleAfter));
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete the client's private files in " + directory + "; delete them by hand", ex);
		}
	}

}
