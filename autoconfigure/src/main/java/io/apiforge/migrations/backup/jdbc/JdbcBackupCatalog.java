package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupCatalog;
import io.apiforge.migrations.backup.BackupRecord;

/**
 * The {@code jdbc} backups in a backup directory, read from their sidecars, together
 * with those another catalog lists (the {@code pg-dump} strategy's, in the same
 * directory, when {@code auto} may take either), latest first.
 *
 * @author apiforge
 */
public class JdbcBackupCatalog implements BackupCatalog {

	private static final Log logger = LogFactory.getLog(JdbcBackupCatalog.class);

	private final Path directory;

	private final BackupCatalog others;

	/**
	 * Create a catalog of a directory.
	 * @param directory the backup directory
	 * @param others the catalog of the other backups in it
	 */
	public JdbcBackupCatalog(Path directory, BackupCatalog others) {
		Assert.notNull(directory, "'directory' must not be null");
		Assert.notNull(others, "'others' must not be null");
		this.directory = directory.toAbsolutePath();
		this.others = others;
	}

	@Override
	public List<BackupRecord> list() {
		List<BackupRecord> backups = new ArrayList<>(this.others.list());
		if (Files.isDirectory(this.directory)) {
			try (Stream<Path> files = Files.list(this.directory)) {
				files.filter((file) -> JdbcBackupFiles.isBackup(file.getFileName().toString()))
					.map(this::read)
					.forEach((backup) -> {
						if (backup != null) {
							backups.add(backup);
						}
					});
			}
			catch (IOException ex) {
				logger.debug("Could not list the backups in " + this.directory, ex);
			}
		}
		backups.sort(Comparator.comparing(BackupRecord::createdAt).reversed());
		return backups;
	}

	private @Nullable BackupRecord read(Path file) {
		try {
			String json = Files.readString(file.resolveSibling(JdbcBackupFiles.metadata(file.getFileName().toString())));
			return new BackupRecord(JdbcBackupStrategy.NAME, file.toString(), Instant.parse(String.valueOf(text(json, "createdAt"))),
					Files.size(file), Duration.ofMillis(Long.parseLong(raw(json, "durationMillis"))),
					text(json, "fromVersion"), text(json, "toVersion"), Boolean.parseBoolean(raw(json, "verified")));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the backup " + file + " or its metadata", ex);
			return null;
		}
	}

	private static @Nullable String text(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
		return matcher.find() ? matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
	}

	private static String raw(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\": ([^,\\n\"]+)").matcher(json);
		return matcher.find() ? matcher.group(1).strip() : "0";
	}

}
