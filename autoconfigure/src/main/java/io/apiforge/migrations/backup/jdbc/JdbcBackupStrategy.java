package io.apiforge.migrations.backup.jdbc;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.Deflater;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

import org.springframework.util.Assert;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.backup.BackupDirectory;
import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupFileName;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupRetention;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.DatabaseIdentity;
import io.apiforge.migrations.backup.LockedFile;
import io.apiforge.migrations.backup.SidecarJson;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.backup.pgdump.PgConnection;

/**
 * Backs up over the application's own connection, with no binary: one
 * {@code REPEATABLE READ, READ ONLY} transaction (one consistent snapshot) in which the
 * schema is rebuilt from the catalog and the data streamed with {@code COPY … TO STDOUT}
 * into a gzip-compressed plain SQL script ({@code .sql.gz}) that {@code psql} restores
 * (see {@link CatalogDump}).
 * <p>
 * It fails closed: a database holding an object it cannot rebuild faithfully (a rule, a
 * policy, an event trigger, a foreign table, large objects, …; see
 * {@link UnsupportedObjects}) makes the backup fail, naming the objects, at start-up
 * already. The file is named and written as the {@code pg-dump} strategy names and writes
 * its own ({@link BackupFileName}, {@link LockedFile}): a hidden, locked, owner-only
 * partial file, read back and checked against the manifest recorded during the dump
 * (statements, rows per table), forced to disk, described by a {@code .json} sidecar,
 * renamed into place; then retention of this database's backups of the same kind
 * ({@link BackupRetention}). The script is compressed on a thread of its own while the
 * data is read ({@link GzipOnItsOwnThread}).
 *
 * @author apiforge
 */
public class JdbcBackupStrategy implements BackupStrategy {

	/** The name of this strategy in {@code migrations.backup.strategy}. */
	public static final String NAME = "jdbc";

	static final int MINIMUM_SERVER_VERSION = 140000;

	static final String EXTENSION = ".sql.gz";

	/**
	 * The fastest gzip level: a backup before a migration is on the deployment's critical
	 * path, and it costs a few percent of size against the default level's (measured:
	 * 5% on the benchmark's data, for half the time; see docs/performance.md).
	 */
	static final int COMPRESSION_LEVEL = Deflater.BEST_SPEED;

	private static final Log logger = LogFactory.getLog(JdbcBackupStrategy.class);

	private final JdbcBackupSettings settings;

	private final Clock clock;

	/**
	 * Create a strategy.
	 * @param settings how to back up
	 * @param clock the clock that names and stamps backups
	 */
	public JdbcBackupStrategy(JdbcBackupSettings settings, Clock clock) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String describe() {
		return NAME + " (plain SQL, gzip, "
				+ ((this.settings.scope() == BackupScope.DATABASE) ? "whole database" : "the schemas Flyway manages")
				+ (this.settings.verify() ? ", verified" : "") + ") into " + this.settings.directory().toAbsolutePath();
	}

	@Override
	public boolean backsUpWholeDatabase() {
		return this.settings.scope() == BackupScope.DATABASE;
	}

	/**
	 * Check that the server is recent enough and holds nothing this strategy would refuse
	 * to back up.
	 */
	@Override
	public void check(DataSource dataSource) {
		inSnapshot(dataSource, List.of(), false, (connection, namespaces) -> null);
	}

	@Override
	public BackupRecord backup(BackupRequest request) {
		return backup(request, null);
	}

	/**
	 * Take a backup, recording in its sidecar why this strategy was chosen.
	 * @param request what to back up
	 * @param chosenBecause why {@code auto} chose this strategy, or {@code null}
	 * @return the backup taken
	 * @throws BackupException when the backup failed
	 */
	public BackupRecord backup(BackupRequest request, @Nullable String chosenBecause) {
		Instant started = this.clock.instant();
		DatabaseIdentity identity = DatabaseIdentity.of(request);
		Path directory = BackupDirectory.prepare(this.settings.directory());
		LockedFile.deleteLeftovers(directory, this.settings.timeout());
		String fileName = freeName(directory, identity, started, request);
		Path partial = directory.resolve(BackupFileName.partial(fileName));
		Path target = directory.resolve(fileName);
		String database = describeDatabase(request.dataSource());
		logger.info("Backing up " + database + " (" + scopeLabel(request) + ") over JDBC to " + target + " "
				+ request.reason()
				+ ((chosenBecause != null) ? " (" + chosenBecause + ")" : ""));
		boolean complete = false;
		try {
			BackupRecord backup;
			try (LockedFile file = LockedFile.create(partial)) {
				Sha256Count output = new Sha256Count(new BufferedOutputStream(new LockedFileOutput(file), 1 << 16));
				Dump dump;
				try (GzipOnItsOwnThread gzip = new GzipOnItsOwnThread(output, COMPRESSION_LEVEL,
						"migrations-jdbc-backup-gzip")) {
					ScriptWriter script = new ScriptWriter(gzip);
					dump = inSnapshot(request.dataSource(), request.schemas(), true, (connection, namespaces) -> {
						script.comment("PostgreSQL database dump written over JDBC by the migrations starter (jdbc strategy)");
						script.comment("Restore: gunzip -c <file> | psql --set=ON_ERROR_STOP=1 --single-transaction --dbname=<new database>");
						new CatalogDump(connection, script, new ArrayList<>(namespaces.values()), backsUpWholeDatabase())
							.write();
						return new Dump(new ArrayList<>(namespaces.keySet()), script.statements(), script.rows());
					});
				}
				output.flush();
				file.force();
				long size = Files.size(partial);
				if (this.settings.verify()) {
					ScriptCheck.check(partial, dump.statements(), dump.rows());
				}
				Instant finished = this.clock.instant();
				Duration duration = Duration.between(started, finished);
				String restoreCommand = restoreCommand(target, request.dataSource());
				// The sidecar first: whoever sees the backup under its final name finds its metadata.
				SidecarJson.write(directory, fileName, metadata(fileName, finished, request, dump, database, identity,
						size, output.sha256(), duration, chosenBecause, restoreCommand));
				Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
				LockedFile.forceDirectory(directory);
				complete = true;
				long rows = dump.rows().values().stream().mapToLong(Long::longValue).sum();
				logger.info("Backup " + target + " complete: " + size + " bytes, " + dump.rows().size() + " tables, "
						+ rows + " rows in " + DurationFormat.format(duration)
						+ (this.settings.verify() ? ", verified" : ", not verified (migrations.backup.verify=none)")
						+ ". Restore it with: " + restoreCommand);
				backup = new BackupRecord(NAME, target.toString(), finished, size, duration, request.fromVersion(),
						request.toVersion(), this.settings.verify(), request.kind());
			}
			BackupRetention.apply(directory, identity, request.kind(), this.settings.keepLast(request.kind()),
					JdbcBackupSettings.keepLastProperty(request.kind()), fileName);
			return backup;
		}
		catch (IOException ex) {
			throw new BackupException(
					"Could not write the backup to " + directory + ": " + BackupDirectory.describe(ex),
					"Make migrations.backup.directory a writable directory with room for a full dump of the database.",
					ex);
		}
		finally {
			if (!complete) {
				deleteQuietly(partial);
				deleteQuietly(target);
				deleteQuietly(directory.resolve(BackupFileName.metadata(fileName)));
			}
		}
	}

	private static String freeName(Path directory, DatabaseIdentity identity, Instant at, BackupRequest request) {
		for (int attempt = 0;; attempt++) {
			String name = BackupFileName.of(identity, at, request.kind(), request.fromVersion(), request.toVersion(),
					EXTENSION, attempt);
			if (!Files.exists(directory.resolve(name)) && !Files.exists(directory.resolve(BackupFileName.partial(name)))) {
				return name;
			}
		}
	}

	/**
	 * Run work in one {@code REPEATABLE READ, READ ONLY} transaction, after checking the
	 * server and what the schemas hold, with every table of the scope share-locked (as
	 * pg_dump does, so that no DDL changes a table between its definition and its data).
	 */
	private <T> T inSnapshot(DataSource dataSource, List<String> schemas, boolean lock, SnapshotWork<T> work) {
		try (Connection connection = dataSource.getConnection()) {
			if (!connection.isWrapperFor(PGConnection.class)) {
				throw new BackupException("The jdbc backup needs PostgreSQL's JDBC driver, but the data source connects through "
						+ connection.getClass().getName(),
						"Use org.postgresql:postgresql (directly or behind a wrapper that unwraps to it), or choose another "
								+ "migrations.backup.strategy.",
						null);
			}
			boolean autoCommit = connection.getAutoCommit();
			boolean readOnly = connection.isReadOnly();
			int isolation = connection.getTransactionIsolation();
			try {
				connection.setAutoCommit(false);
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
					statement.execute("SET LOCAL search_path = pg_catalog");
					statement.execute("SET LOCAL statement_timeout = " + this.settings.timeout().toMillis());
				}
				checkServer(connection);
				Map<String, Long> namespaces = namespaces(connection, schemas);
				String scope = namespaces.values().stream().map(String::valueOf).collect(Collectors.joining(",", "'{", "}'::oid[]"));
				List<String> unsupported = UnsupportedObjects.find(connection, scope, backsUpWholeDatabase());
				if (!unsupported.isEmpty()) {
					throw new BackupException("The jdbc backup cannot rebuild " + unsupported.size()
							+ " object(s) of this database faithfully, so it refuses to take a partial backup: "
							+ String.join("; ", unsupported),
							"Install pg_dump (PostgreSQL's client, of the server's major version or newer) and set "
									+ "migrations.backup.strategy=pg-dump (or leave it on auto with pg_dump on the PATH or at "
									+ "migrations.backup.pg-dump.path); or remove those objects; or, if they are outside the "
									+ "schemas Flyway manages, set migrations.backup.scope=schemas.",
							null);
				}
				if (lock) {
					lockTables(connection, scope);
				}
				return work.run(connection, namespaces);
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(autoCommit);
				connection.setReadOnly(readOnly);
				connection.setTransactionIsolation(isolation);
			}
		}
		catch (SQLException ex) {
			throw new BackupException("The jdbc backup failed: " + ex.getMessage(),
					"Check that the database is reachable and that its user may read every object to back up (or narrow "
							+ "migrations.backup.scope=schemas); a statement cancelled by statement_timeout means "
							+ "migrations.backup.timeout is too short.",
					ex);
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof SQLException sql) {
				throw new BackupException("The jdbc backup failed while copying data: " + sql.getMessage(),
						"Check that the database user may read every table to back up; raise migrations.backup.timeout if a "
								+ "table's COPY was cancelled.",
						sql);
			}
			throw new BackupException("Could not write the backup: " + BackupDirectory.describe(ex),
					"Make migrations.backup.directory a writable directory with room for a full dump of the database.",
					ex);
		}
	}

	private static void checkServer(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT current_setting('server_version_num')::int, "
						+ "current_setting('server_version')")) {
			result.next();
			if (result.getInt(1) < MINIMUM_SERVER_VERSION) {
				throw new BackupException("The jdbc backup needs PostgreSQL 14 or newer, but the server is "
						+ result.getString(2),
						"Install pg_dump and set migrations.backup.strategy=pg-dump, or upgrade the server.", null);
			}
		}
	}

	/**
	 * The schemas to dump, by name, with their oids: every schema but the system's for
	 * the whole database; otherwise Flyway's (or the connection's current schema).
	 */
	private Map<String, Long> namespaces(Connection connection, List<String> schemas) throws SQLException {
		Map<String, Long> namespaces = new LinkedHashMap<>();
		String sql;
		if (backsUpWholeDatabase()) {
			sql = "SELECT n.nspname, n.oid::bigint FROM pg_namespace n WHERE n.nspname NOT LIKE 'pg\\_%' "
					+ "AND n.nspname <> 'information_schema' AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE "
					+ "e.classid = 'pg_namespace'::regclass AND e.objid = n.oid AND e.deptype = 'e') ORDER BY n.nspname";
		}
		else if (schemas.isEmpty()) {
			sql = "SELECT n.nspname, n.oid::bigint FROM pg_namespace n WHERE n.nspname = current_schemas(false)[1]";
		}
		else {
			sql = "SELECT n.nspname, n.oid::bigint FROM pg_namespace n WHERE n.nspname = ANY (?) ORDER BY n.nspname";
		}
		try (java.sql.PreparedStatement statement = connection.prepareStatement(sql)) {
			if (!backsUpWholeDatabase() && !schemas.isEmpty()) {
				statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
			}
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					namespaces.put(result.getString(1), result.getLong(2));
				}
			}
		}
		return namespaces;
	}

	private static void lockTables(Connection connection, String scope) throws SQLException {
		List<String> tables = new ArrayList<>();
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT c.oid::regclass::text FROM pg_class c WHERE "
						+ "c.relkind IN ('r', 'p') AND c.relnamespace = ANY (" + scope + ") AND NOT c.relispartition")) {
			while (result.next()) {
				tables.add(result.getString(1));
			}
		}
		if (!tables.isEmpty()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("LOCK TABLE " + String.join(", ", tables) + " IN ACCESS SHARE MODE");
			}
		}
	}

	private String metadata(String fileName, Instant finished, BackupRequest request, Dump dump, String database,
			DatabaseIdentity identity, long size, String sha256, Duration duration, @Nullable String chosenBecause,
			String restoreCommand) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("file", fileName);
		fields.put("strategy", NAME);
		fields.put("chosenBecause", chosenBecause);
		fields.put("kind", request.kind().label());
		fields.put("createdAt", finished.toString());
		fields.put("fromVersion", request.fromVersion());
		fields.put("toVersion", request.toVersion());
		fields.put("format", "plain");
		fields.put("compression", "gzip");
		fields.put("scope", this.settings.scope().name().toLowerCase(java.util.Locale.ROOT));
		fields.put("schemas", dump.schemas());
		fields.put("database", database);
		fields.put("databaseName", identity.databaseName());
		fields.put("databaseId", identity.id());
		fields.put("sizeBytes", size);
		fields.put("sha256", sha256);
		fields.put("durationMillis", duration.toMillis());
		fields.put("verified", this.settings.verify());
		fields.put("statements", dump.statements());
		fields.put("rows", dump.rows());
		fields.put("restoreCommand", restoreCommand);
		return SidecarJson.object(fields, "  ") + "\n";
	}

	/**
	 * A command that restores a backup into a new database with {@code psql}; it holds no
	 * password.
	 */
	static String restoreCommand(Path backup, DataSource dataSource) {
		StringBuilder command = new StringBuilder("gunzip -c ").append(shellQuote(backup.toString()))
			.append(" | psql --set=ON_ERROR_STOP=1 --single-transaction");
		try {
			PgConnection connection = PgConnection.of(dataSource);
			command.append(" --host=").append(shellQuote(connection.host())).append(" --port=").append(connection.port());
			if (connection.user() != null) {
				command.append(" --username=").append(shellQuote(connection.user()));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("Could not read the connection for the restore command", ex);
		}
		return command.append(" --dbname=<new database>").toString();
	}

	private static String describeDatabase(DataSource dataSource) {
		try {
			return PgConnection.of(dataSource).describe();
		}
		catch (RuntimeException ex) {
			return "the database";
		}
	}

	private String scopeLabel(BackupRequest request) {
		if (backsUpWholeDatabase()) {
			return "whole database";
		}
		return request.schemas().isEmpty() ? "the current schema" : "schemas " + String.join(", ", request.schemas());
	}

	private static String shellQuote(String argument) {
		return argument.matches("[A-Za-z0-9_./:=@%+-]+") ? argument : "'" + argument.replace("'", "'\\''") + "'";
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + file, ex);
		}
	}

	@FunctionalInterface
	private interface SnapshotWork<T> {

		T run(Connection connection, Map<String, Long> namespaces) throws SQLException, IOException;

	}

	/**
	 * Writes to the locked partial file.
	 */
	private static final class LockedFileOutput extends OutputStream {

		private final LockedFile file;

		LockedFileOutput(LockedFile file) {
			this.file = file;
		}

		@Override
		public void write(int b) throws IOException {
			this.file.write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.file.write(bytes, offset, length);
		}

	}

	private record Dump(List<String> schemas, int statements, Map<String, Long> rows) {

	}

	/**
	 * Hashes and passes on what is written to the file.
	 */
	private static final class Sha256Count extends FilterOutputStream {

		private final MessageDigest digest;

		Sha256Count(OutputStream output) {
			super(output);
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
			this.digest.update((byte) b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
			this.digest.update(bytes, offset, length);
		}

		String sha256() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

	}

}
