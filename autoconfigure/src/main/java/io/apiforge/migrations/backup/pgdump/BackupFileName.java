package io.apiforge.migrations.backup.pgdump;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Names backup files after when they were taken and the migration they precede:
 * {@code 20261124T101500Z_v2_to_v3.dump}. Names sort by time, and only names of this
 * shape (with their metadata sidecar) are ever deleted by retention.
 *
 * @author apiforge
 */
final class BackupFileName {

	static final String METADATA_SUFFIX = ".json";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final Pattern BACKUP = Pattern
		.compile("\\d{8}T\\d{6}Z_(empty|v[A-Za-z0-9._-]+)_to_(empty|v[A-Za-z0-9._-]+)(_\\d+)?\\.(dump|sql)");

	private BackupFileName() {
	}

	static String of(Instant at, @Nullable String fromVersion, @Nullable String toVersion, PgDumpFormat format,
			int attempt) {
		return TIMESTAMP.format(at) + "_" + version(fromVersion) + "_to_" + version(toVersion)
				+ ((attempt > 0) ? "_" + attempt : "") + format.extension();
	}

	static boolean isBackup(String fileName) {
		return BACKUP.matcher(fileName).matches();
	}

	static String partial(String fileName) {
		return "." + fileName + ".partial";
	}

	static String metadata(String fileName) {
		return fileName + METADATA_SUFFIX;
	}

	private static String version(@Nullable String version) {
		return (version != null) ? "v" + version.replaceAll("[^A-Za-z0-9._-]", "_") : "empty";
	}

}
