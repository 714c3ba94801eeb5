package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.DatabaseIdentity;
import io.apiforge.migrations.backup.SidecarJson;

/**
 * The sidecar written beside each backup ({@code <backup>.json}): what is in it, how it
 * was taken, and how to restore it. Never holds a secret.
 *
 * @param file the backup's file name
 * @param strategy the strategy that took it
 * @param kind why it was taken
 * @param createdAt when it was complete
 * @param fromVersion the schema version it holds, or {@code null} for none
 * @param toVersion the version of the migration that followed
 * @param format the pg_dump format
 * @param scope what was backed up
 * @param schemas the schemas the archive holds, read from its table of contents (not the
 * ones asked for)
 * @param database the database, as {@code user@host:port/database}
 * @param databaseName the database's name, as the server spells it
 * @param databaseId the database's identity ({@link DatabaseIdentity}), which retention
 * and the catalog compare with their own
 * @param sizeBytes the file's size
 * @param sha256 the file's SHA-256, in hex
 * @param duration how long the backup took
 * @param verified whether it passed verification
 * @param verify how far it was verified ({@code migrations.backup.verify})
 * @param verifiedTables with {@link BackupVerification#RESTORE}, how many tables the
 * restored copy was compared on; otherwise {@code null}
 * @param verifiedRows with {@link BackupVerification#RESTORE}, how many rows they held
 * (in the source's snapshot and in the copy alike); otherwise {@code null}
 * @param serverVersion the server's version
 * @param pgDumpVersion the pg_dump's version
 * @param command the pg_dump command line (it holds no secret)
 * @param restoreCommand a command that restores it into a database
 * @author apiforge
 */
public record BackupMetadata(String file, String strategy, BackupKind kind, Instant createdAt,
		@Nullable String fromVersion, @Nullable String toVersion, PgDumpFormat format, BackupScope scope,
		List<String> schemas, String database, String databaseName, String databaseId, long sizeBytes, String sha256,
		Duration duration, boolean verified, BackupVerification verify, @Nullable Integer verifiedTables,
		@Nullable Long verifiedRows, String serverVersion,
		String pgDumpVersion, List<String> command, String restoreCommand) {

	/**
	 * Write this metadata as JSON next to the backup, atomically.
	 * @param directory the backup directory
	 * @return the sidecar file
	 * @throws IOException when it cannot be written
	 */
	Path writeTo(Path directory) throws IOException {
		return SidecarJson.write(directory, this.file, toJson());
	}

	/**
	 * Render this metadata as a JSON object.
	 * @return the JSON
	 */
	public String toJson() {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("file", this.file);
		fields.put("strategy", this.strategy);
		fields.put("kind", this.kind.label());
		fields.put("createdAt", this.createdAt.toString());
		fields.put("fromVersion", this.fromVersion);
		fields.put("toVersion", this.toVersion);
		fields.put("format", this.format.option());
		fields.put("scope", this.scope.name().toLowerCase(java.util.Locale.ROOT));
		fields.put("schemas", this.schemas);
		fields.put("database", this.database);
		fields.put("databaseName", this.databaseName);
		fields.put("databaseId", this.databaseId);
		fields.put("sizeBytes", this.sizeBytes);
		fields.put("sha256", this.sha256);
		fields.put("durationMillis", this.duration.toMillis());
		fields.put("verified", this.verified);
		fields.put("verify", this.verify.option());
		if (this.verifiedTables != null) {
			fields.put("verifiedTables", this.verifiedTables);
			fields.put("verifiedRows", this.verifiedRows);
		}
		fields.put("serverVersion", this.serverVersion);
		fields.put("pgDumpVersion", this.pgDumpVersion);
		fields.put("command", this.command);
		fields.put("restoreCommand", this.restoreCommand);
		return SidecarJson.object(fields, "  ") + "\n";
	}

}
