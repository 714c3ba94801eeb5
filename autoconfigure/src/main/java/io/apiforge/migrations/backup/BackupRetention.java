package io.apiforge.migrations.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.FileSystemUtils;

/**
 * Keeps the newest backups of one database and one kind, and deletes older ones of that
 * database and kind. A file counts only when both its name and its sidecar say it is a
 * backup of this database ({@link DatabaseIdentity}) and of this kind: another
 * application's backups in a shared directory, backups of another kind, names of the
 * older shape (which carry no database) and any file without its sidecar are never
 * counted nor deleted. The backup just taken is never deleted. A directory-format backup
 * is one backup, counted and deleted whole.
 *
 * @author apiforge
 */
public final class BackupRetention {

	private static final Log logger = LogFactory.getLog(BackupRetention.class);

	private BackupRetention() {
	}

	/**
	 * Delete the oldest backups of a database and kind beyond {@code keepLast}.
	 * @param directory the backup directory
	 * @param identity the database
	 * @param kind the kind of the backup just taken
	 * @param keepLast how many to keep, at least 1
	 * @param property the property that sets {@code keepLast}, for the log
	 * @param justTaken the file name of the backup just taken
	 * @return the deleted backups' file names
	 */
	public static List<String> apply(Path directory, DatabaseIdentity identity, BackupKind kind, int keepLast,
			String property, String justTaken) {
		List<String> backups;
		try (Stream<Path> files = Files.list(directory)) {
			backups = files.map((file) -> file.getFileName().toString())
				.filter((name) -> BackupFileName.kindOf(name, identity) == kind)
				.filter((name) -> isAttributed(directory, name, identity, kind))
				.sorted(Comparator.reverseOrder())
				.toList();
		}
		catch (IOException ex) {
			logger.warn("Could not list " + directory + " to apply backup retention; no backup deleted", ex);
			return List.of();
		}
		List<String> expired = backups.stream()
			.filter((name) -> !name.equals(justTaken))
			.skip(Math.max(0, keepLast - 1))
			.toList();
		for (String name : expired) {
			try {
				// A directory-format backup is a directory: deleted whole.
				FileSystemUtils.deleteRecursively(directory.resolve(name));
				Files.deleteIfExists(directory.resolve(BackupFileName.metadata(name)));
				logger.info("Deleted backup " + name + " (" + property + "=" + keepLast + " " + kind.label()
						+ " backups of " + identity.databaseName() + ")");
			}
			catch (IOException ex) {
				logger.warn("Could not delete expired backup " + name, ex);
			}
		}
		return expired;
	}

	/**
	 * Whether the sidecar agrees with the name: written by this starter (by either
	 * built-in strategy: a database's backups of one kind are counted together, whether
	 * {@code pg-dump} or {@code jdbc} took them), for this database (the whole identity,
	 * not only the name's short one) and this kind.
	 */
	private static boolean isAttributed(Path directory, String name, DatabaseIdentity identity, BackupKind kind) {
		Path sidecar = directory.resolve(BackupFileName.metadata(name));
		if (!Files.exists(directory.resolve(name)) || !Files.isRegularFile(sidecar)) {
			return false;
		}
		try {
			String json = Files.readString(sidecar);
			return name.equals(SidecarJson.text(json, "file")) && SidecarJson.text(json, "strategy") != null
					&& identity.id().equals(SidecarJson.text(json, "databaseId"))
					&& kind.label().equals(SidecarJson.text(json, "kind"));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the metadata of " + name + "; it is kept", ex);
			return false;
		}
	}

}
