package io.apiforge.migrations.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.pgdump.PgDumpBackupStrategy;

/**
 * The backups of this application's database in a backup directory: the files the
 * built-in strategies ({@code pg-dump} and {@code jdbc}) wrote for it, read from their
 * metadata sidecars (which only this starter writes, in a fixed shape, see
 * {@link SidecarJson}). Another application's backups in a shared
 * directory are not listed: a backup is listed when its name and its sidecar carry this
 * database's {@link DatabaseIdentity}, or, for a name of the older shape that carries no
 * database, when its sidecar names the address this application is connected to. A
 * directory-format backup is listed once, with the total size of its files.
 *
 * @author apiforge
 */
public class DirectoryBackupCatalog implements BackupCatalog {

	private static final Log logger = LogFactory.getLog(DirectoryBackupCatalog.class);

	private final Path directory;

	private final DataSource dataSource;

	private final List<String> schemas;

	private volatile @Nullable DatabaseIdentity identity;

	private final Map<String, Optional<BackupRecord>> known = new ConcurrentHashMap<>();

	/**
	 * Create a catalog of a directory.
	 * @param directory the backup directory
	 * @param dataSource the database whose backups are listed
	 * @param schemas the schemas Flyway manages (they are part of the database's identity)
	 */
	public DirectoryBackupCatalog(Path directory, DataSource dataSource, List<String> schemas) {
		Assert.notNull(directory, "'directory' must not be null");
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(schemas, "'schemas' must not be null");
		this.directory = directory.toAbsolutePath();
		this.dataSource = dataSource;
		this.schemas = List.copyOf(schemas);
	}

	/**
	 * List this database's backups, latest first. A backup's metadata is read once: a
	 * backup never changes after it is renamed into place, so later reads cost one
	 * directory listing. Empty while the database's identity cannot be read.
	 */
	@Override
	public List<BackupRecord> list() {
		if (!Files.isDirectory(this.directory)) {
			return List.of();
		}
		DatabaseIdentity identity = identity();
		if (identity == null) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			List<String> names = files.map((file) -> file.getFileName().toString())
				.filter((name) -> BackupFileName.kindOf(name, identity) != null || BackupFileName.isLegacy(name))
				.sorted(Comparator.comparing(DirectoryBackupCatalog::timeOf)
					.thenComparing(Comparator.<String>naturalOrder())
					.reversed())
				.toList();
			this.known.keySet().retainAll(names);
			List<BackupRecord> backups = new ArrayList<>();
			for (String name : names) {
				Optional<BackupRecord> backup = this.known.get(name);
				if (backup == null) {
					backup = read(name, identity);
					if (backup != null) {
						this.known.put(name, backup);
					}
				}
				if (backup != null) {
					backup.ifPresent(backups::add);
				}
			}
			return backups;
		}
		catch (IOException ex) {
			logger.debug("Could not list the backups in " + this.directory, ex);
			return List.of();
		}
	}

	private @Nullable DatabaseIdentity identity() {
		DatabaseIdentity identity = this.identity;
		if (identity == null) {
			try {
				identity = DatabaseIdentity.read(this.dataSource, this.schemas);
				this.identity = identity;
			}
			catch (SQLException ex) {
				logger.debug("Could not read the database's identity; no backup is listed", ex);
			}
		}
		return identity;
	}

	/**
	 * The time in a backup's name: names of this database share their prefix, older
	 * names start with the time.
	 */
	private static String timeOf(String name) {
		int at = name.indexOf('@');
		return (at < 0) ? name : name.substring(name.indexOf('_', at) + 1);
	}

	/**
	 * Read a backup: empty when it is not this database's, {@code null} when it cannot be
	 * read now (it is tried again at the next listing).
	 */
	private @Nullable Optional<BackupRecord> read(String name, DatabaseIdentity identity) {
		Path file = this.directory.resolve(name);
		Path metadata = this.directory.resolve(BackupFileName.metadata(name));
		try {
			String json = Files.readString(metadata);
			if (!belongs(name, json, identity)) {
				return Optional.empty();
			}
			String strategy = SidecarJson.text(json, "strategy");
			String createdAt = SidecarJson.text(json, "createdAt");
			String durationMillis = SidecarJson.raw(json, "durationMillis");
			return Optional.of(new BackupRecord((strategy != null) ? strategy : PgDumpBackupStrategy.NAME,
					file.toString(),
					(createdAt != null) ? Instant.parse(createdAt) : Files.getLastModifiedTime(file).toInstant(),
					BackupDirectory.sizeOf(file),
					Duration.ofMillis((durationMillis != null) ? Long.parseLong(durationMillis) : 0),
					SidecarJson.text(json, "fromVersion"), SidecarJson.text(json, "toVersion"),
					Boolean.parseBoolean(SidecarJson.raw(json, "verified")),
					BackupKind.ofLabel(SidecarJson.text(json, "kind"))));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the backup " + name + " or its metadata", ex);
			return null;
		}
	}

	private static boolean belongs(String name, String json, DatabaseIdentity identity) {
		if (BackupFileName.isLegacy(name)) {
			// Written before backups carried their database: the sidecar's
			// user@host:port/database is all there is to go by.
			String database = SidecarJson.text(json, "database");
			return database != null
					&& (database.equals(identity.address()) || database.endsWith("@" + identity.address()));
		}
		return identity.id().equals(SidecarJson.text(json, "databaseId"));
	}

}
