package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupCatalog;
import io.apiforge.migrations.backup.BackupRecord;

/**
 * The backups in a backup directory: the files the {@code pg_dump} strategy wrote, read
 * from their metadata sidecars (which only this starter writes, in a fixed shape).
 *
 * @author apiforge
 */
public class DirectoryBackupCatalog implements BackupCatalog {

	private static final Log logger = LogFactory.getLog(DirectoryBackupCatalog.class);

	private final Path directory;

	private final Map<String, BackupRecord> known = new ConcurrentHashMap<>();

	/**
	 * Create a catalog of a directory.
	 * @param directory the backup directory
	 */
	public DirectoryBackupCatalog(Path directory) {
		this.directory = directory.toAbsolutePath();
	}

	/**
	 * List the backups, latest first. A backup's metadata is read once: a backup never
	 * changes after it is renamed into place, so later reads cost one directory listing.
	 */
	@Override
	public List<BackupRecord> list() {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			List<String> names = files.map((file) -> file.getFileName().toString())
				.filter(BackupFileName::isBackup)
				.sorted(Comparator.reverseOrder())
				.toList();
			this.known.keySet().retainAll(names);
			List<BackupRecord> backups = new ArrayList<>();
			for (String name : names) {
				BackupRecord backup = this.known.get(name);
				if (backup == null) {
					backup = read(name);
					if (backup != null) {
						this.known.put(name, backup);
					}
				}
				if (backup != null) {
					backups.add(backup);
				}
			}
			return backups;
		}
		catch (IOException ex) {
			logger.debug("Could not list the backups in " + this.directory, ex);
			return List.of();
		}
	}

	private @Nullable BackupRecord read(String name) {
		Path file = this.directory.resolve(name);
		Path metadata = this.directory.resolve(BackupFileName.metadata(name));
		try {
			String json = Files.readString(metadata);
			return new BackupRecord(text(json, "strategy", PgDumpBackupStrategy.NAME), file.toString(),
					Instant.parse(text(json, "createdAt", Files.getLastModifiedTime(file).toInstant().toString())),
					Files.size(file), Duration.ofMillis(Long.parseLong(raw(json, "durationMillis", "0"))),
					nullableText(json, "fromVersion"), nullableText(json, "toVersion"),
					Boolean.parseBoolean(raw(json, "verified", "false")));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the backup " + name + " or its metadata", ex);
			return null;
		}
	}

	private static String text(String json, String field, String fallback) {
		String value = nullableText(json, field);
		return (value != null) ? value : fallback;
	}

	private static @Nullable String nullableText(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + field + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
		return matcher.find() ? matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
	}

	private static String raw(String json, String field, String fallback) {
		Matcher matcher = Pattern.compile("\"" + field + "\": ([^,\\n\"]+)").matcher(json);
		return matcher.find() ? matcher.group(1).strip() : fallback;
	}

}
