package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps the newest backups and deletes older ones, but only files this starter wrote:
 * a name of its shape with its metadata sidecar beside it. The backup just taken is never
 * deleted.
 *
 * @author apiforge
 */
final class BackupRetention {

	private static final Log logger = LogFactory.getLog(BackupRetention.class);

	private BackupRetention() {
	}

	/**
	 * Delete the oldest backups beyond {@code keepLast}.
	 * @param directory the backup directory
	 * @param keepLast how many to keep, at least 1
	 * @param justTaken the file name of the backup just taken
	 * @return the deleted backups' file names
	 */
	static List<String> apply(Path directory, int keepLast, String justTaken) {
		List<String> backups;
		try (Stream<Path> files = Files.list(directory)) {
			backups = files.map((file) -> file.getFileName().toString())
				.filter(BackupFileName::isBackup)
				.filter((name) -> Files.isRegularFile(directory.resolve(BackupFileName.metadata(name))))
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
				Files.deleteIfExists(directory.resolve(name));
				Files.deleteIfExists(directory.resolve(BackupFileName.metadata(name)));
				logger.info("Deleted backup " + name + " (migrations.backup.retention.keep-last=" + keepLast + ")");
			}
			catch (IOException ex) {
				logger.warn("Could not delete expired backup " + name, ex);
			}
		}
		return expired;
	}

}
