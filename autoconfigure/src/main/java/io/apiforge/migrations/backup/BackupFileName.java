package io.apiforge.migrations.backup;

import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.pgdump.PgDumpFormat;

/**
 * Names backup files after the database they hold, when they were taken and why:
 * <ul>
 * <li>{@code app@1a2b3c4d_20261124T101500Z_pre-migration_v2_to_v3.dump}</li>
 * <li>{@code app@1a2b3c4d_20261124T101500Z_pre-rollback_v3_to_v2.dump}</li>
 * <li>{@code app@1a2b3c4d_20261124T101500Z_pre-contract_v0_to_v5.dump} (the contract
 * history's versions)</li>
 * <li>{@code app@1a2b3c4d_20261124T101500Z_on-request_v3.dump}</li>
 * <li>{@code app@1a2b3c4d_20261124T101500Z_pre-migration_v2_to_v3.sql.gz} (the
 * {@code jdbc} strategy's)</li>
 * </ul>
 * The extension is the format's: {@code .dump}, {@code .sql}, or {@code .dir} for a
 * directory-format backup, which is a directory of that name.
 * The database's name is made safe for any file system (ASCII letters, digits,
 * {@code .}, {@code _} and {@code -}; at most {@value #MAX_DATABASE_LENGTH}
 * characters), and the short {@link DatabaseIdentity} after the {@code @} tells apart
 * databases of the same name. Names of one database and kind sort by time.
 * <p>
 * Names of the shape written before the database was part of the name
 * ({@code 20261124T101500Z_v2_to_v3.dump}) are still recognized as backups, but belong
 * to no database: retention never deletes them.
 *
 * @author apiforge
 */
public final class BackupFileName {

	public static final String METADATA_SUFFIX = ".json";

	static final int MAX_DATABASE_LENGTH = 40;

	private static final String PARTIAL_SUFFIX = ".partial";

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private static final String VERSION = "(?:empty|v[A-Za-z0-9._-]+)";

	private static final Pattern BACKUP = Pattern.compile("(?<database>[A-Za-z0-9_-][A-Za-z0-9._-]{0,"
			+ (MAX_DATABASE_LENGTH - 1) + "})@(?<id>[0-9a-f]{" + DatabaseIdentity.SHORT_LENGTH
			+ "})_\\d{8}T\\d{6}Z_(?:(?<kind>pre-migration|pre-rollback|pre-contract)_" + VERSION + "_to_" + VERSION
			+ "|(?<onRequest>on-request)_" + VERSION + ")(?:_\\d+)?\\.(?:dump|sql|sql\\.gz|dir)");

	private static final Pattern LEGACY_BACKUP = Pattern
		.compile("\\d{8}T\\d{6}Z_" + VERSION + "_to_" + VERSION + "(_\\d+)?\\.(dump|sql|sql\\.gz)");

	private BackupFileName() {
	}

	public static String of(DatabaseIdentity identity, Instant at, BackupKind kind, @Nullable String fromVersion,
			@Nullable String toVersion, PgDumpFormat format, int attempt) {
		return of(identity, at, kind, fromVersion, toVersion, format.extension(), attempt);
	}

	/**
	 * Return the name of a backup.
	 * @param identity the database
	 * @param at when it is taken
	 * @param kind why
	 * @param fromVersion the schema's version before
	 * @param toVersion the version migrated or rolled back to (unused for a backup on
	 * request)
	 * @param extension the file's extension, with its dot ({@code .dump}, {@code .sql},
	 * {@code .sql.gz})
	 * @param attempt {@code 0}, or how many names of the same second were taken
	 * @return the name
	 */
	public static String of(DatabaseIdentity identity, Instant at, BackupKind kind, @Nullable String fromVersion,
			@Nullable String toVersion, String extension, int attempt) {
		String versions = (kind == BackupKind.ON_REQUEST) ? version(fromVersion)
				: version(fromVersion) + "_to_" + version(toVersion);
		return prefix(identity) + TIMESTAMP.format(at) + "_" + kind.label() + "_" + versions
				+ ((attempt > 0) ? "_" + attempt : "") + extension;
	}

	/**
	 * Return the part of the names of a database's backups before their time, such as
	 * {@code app@1a2b3c4d_}.
	 * @param identity the database
	 * @return the prefix
	 */
	public static String prefix(DatabaseIdentity identity) {
		return safeDatabaseName(identity.databaseName()) + "@" + identity.shortId() + "_";
	}

	/**
	 * Return whether a file name is one of a backup, of this shape or the older one.
	 * @param fileName the name
	 * @return whether it names a backup
	 */
	public static boolean isBackup(String fileName) {
		return BACKUP.matcher(fileName).matches() || isLegacy(fileName);
	}

	/**
	 * Return whether a file name is one of a backup written before names carried the
	 * database.
	 * @param fileName the name
	 * @return whether it is of the older shape
	 */
	public static boolean isLegacy(String fileName) {
		return LEGACY_BACKUP.matcher(fileName).matches();
	}

	/**
	 * Return the kind a backup's name says, when it is a name of a backup of this
	 * database.
	 * @param fileName the name
	 * @param identity the database
	 * @return the kind, or {@code null} for another name (another database's, an older
	 * shape, not a backup)
	 */
	public static @Nullable BackupKind kindOf(String fileName, DatabaseIdentity identity) {
		Matcher matcher = BACKUP.matcher(fileName);
		if (!matcher.matches() || !fileName.startsWith(prefix(identity))) {
			return null;
		}
		return (matcher.group("onRequest") != null) ? BackupKind.ON_REQUEST
				: BackupKind.ofLabel(matcher.group("kind"));
	}

	/**
	 * Return whether a file name is one of a partial backup or sidecar, being written or
	 * left by a process that died.
	 * @param fileName the name
	 * @return whether it names a partial file
	 */
	public static boolean isPartial(String fileName) {
		if (!fileName.startsWith(".") || !fileName.endsWith(PARTIAL_SUFFIX)) {
			return false;
		}
		String backup = fileName.substring(1, fileName.length() - PARTIAL_SUFFIX.length());
		if (backup.endsWith(METADATA_SUFFIX)) {
			backup = backup.substring(0, backup.length() - METADATA_SUFFIX.length());
		}
		return isBackup(backup);
	}

	public static String partial(String fileName) {
		return "." + fileName + PARTIAL_SUFFIX;
	}

	public static String metadata(String fileName) {
		return fileName + METADATA_SUFFIX;
	}

	/**
	 * Return a database's name as file names show it: accents dropped
	 * ({@code ä} becomes {@code a}), any other character but ASCII letters, digits,
	 * {@code .}, {@code _} and {@code -} replaced with {@code _}, no leading dot (which
	 * would hide the file), cut at {@value #MAX_DATABASE_LENGTH} characters. Names that
	 * become the same stay apart by the identity that follows them.
	 * @param databaseName the name
	 * @return the safe name
	 */
	static String safeDatabaseName(String databaseName) {
		String plain = Normalizer.normalize(databaseName, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
		String safe = plain.replaceAll("[^A-Za-z0-9._-]", "_");
		if (safe.isEmpty() || safe.startsWith(".")) {
			safe = "_" + safe.substring(1);
		}
		return (safe.length() > MAX_DATABASE_LENGTH) ? safe.substring(0, MAX_DATABASE_LENGTH) : safe;
	}

	private static String version(@Nullable String version) {
		return (version != null) ? "v" + version.replaceAll("[^A-Za-z0-9._-]", "_") : "empty";
	}

}
