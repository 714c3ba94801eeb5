package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
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

	/**
	 * Create a catalog of a directory.
	 * @param directory the backup directory
	 */
	public DirectoryBackupCatalog(Path directory) {
		this.directory = directory.toAbsolutePath();
	}

	@Override
	public List<BackupRecord> list() {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.map((file) -> file.getFileName().toString())
				.filter(BackupFileName::isBackup)
				.sorted(Comparator.reverseOrder())
				.map(this::read)
				.filter(Objects::nonNull)
				.toList();
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
