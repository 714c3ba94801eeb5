package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.FileSystemUtils;

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

/**
 * Backs up with PostgreSQL's {@code pg_dump}, run as a child process (no shell):
 * <ol>
 * <li>finds {@code pg_dump} and refuses one older than the server's major version;</li>
 * <li>removes what backups of processes that died left behind (partial files,
 * passfiles and temporary databases nobody holds the lock of);</li>
 * <li>runs {@code pg_dump} with the schemas as exact names, the password in a passfile of
 * a private directory, and reads its standard output into a hidden, locked, owner-only
 * partial file ({@code 0600}, directory {@code 0700}), hashing and counting it as it
 * goes: a JVM that dies takes {@code pg_dump} with it (a broken pipe); in the directory
 * format, {@code pg_dump} writes, with {@link PgDumpSettings#jobs()} connections at once,
 * into a hidden, locked, owner-only partial directory instead ({@link DumpDirectory});</li>
 * <li>logs progress, and kills {@code pg_dump} at the timeout (and on the JVM's
 * shutdown);</li>
 * <li>reads the archive's table of contents and fails when a schema that should be in
 * it is not; verifies the file ({@code pg_restore --list}, or the plain script's
 * trailer), and with {@link BackupVerification#RESTORE} restores it into a temporary
 * database and compares its row counts with those of the snapshot it dumped
 * ({@link RestoreVerifier});</li>
 * <li>forces the file to disk, writes its metadata sidecar (the schemas the archive
 * holds), renames it to its final name, forces the directory, and applies retention
 * to this database's backups of the same kind ({@link BackupFileName},
 * {@link BackupRetention}).</li>
 * </ol>
 * Any failure throws a {@link BackupException} naming the cause and the fix, and leaves
 * no partial file.
 *
 * @author apiforge
 */
public class PgDumpBackupStrategy implements BackupStrategy {

	/** The name of this strategy in {@code migrations.backup.strategy}. */
	public static final String NAME = "pg-dump";

	static final String PATH_PROPERTY = "migrations.backup.pg-dump.path";

	private static final Log logger = LogFactory.getLog(PgDumpBackupStrategy.class);

	private static final String PLAIN_TRAILER = "PostgreSQL database dump complete";

	private final PgDumpSettings settings;

	private final Clock clock;

	/**
	 * Create a strategy.
	 * @param settings how to back up
	 * @param clock the clock that names and stamps backups
	 */
	public PgDumpBackupStrategy(PgDumpSettings settings, Clock clock) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Return how this strategy backs up.
	 * @return the settings
	 */
	public PgDumpSettings settings() {
		return this.settings;
	}

	@Override
	public String describe() {
		return NAME + " (" + this.settings.format().option() + " format, "
				+ ((this.settings.jobs() > 1) ? this.settings.jobs() + " jobs, " : "")
				+ ((this.settings.scope() == BackupScope.DATABASE) ? "whole database" : "the schemas Flyway manages")
				+ verifiedLabel() + ") into " + this.settings.directory().toAbsolutePath();
	}

	private String verifiedLabel() {
		return switch (this.settings.verify()) {
			case NONE -> "";
			case LIST -> ", verified";
			case RESTORE -> ", verified by a restore";
		};
	}

	/**
	 * Check that {@code pg_dump} is there, and the {@code pg_restore} or {@code psql}
	 * that verification needs, without running them.
	 */
	@Override
	public void checkInstalled() {
		PgClient.locate("pg_dump", this.settings.pgDumpPath(), PATH_PROPERTY);
		for (String client : verificationClients()) {
			PgClient.locate(client, this.settings.pgDumpPath(), PATH_PROPERTY);
		}
	}

	/**
	 * Check that {@code pg_dump} (and {@code pg_restore} to verify) is there and not older
	 * than the server; with {@link BackupVerification#RESTORE}, also that {@code psql} is
	 * there and that the role may create the temporary database.
	 */
	@Override
	public void check(DataSource dataSource) {
		checkClients(dataSource);
		if (this.settings.verify() == BackupVerification.RESTORE) {
			RestoreVerifier.checkMayCreateDatabase(dataSource);
		}
	}

	/**
	 * Check the client programs only: a {@code pg_dump} at least as new as the server,
	 * and the {@code pg_restore} or {@code psql} verification needs. What {@code auto}
	 * decides on: a missing client is a reason to back up another way, a role that may
	 * not do what the settings ask is not.
	 * @param dataSource the database
	 * @throws BackupException when a client is missing or too old
	 */
	public void checkClients(DataSource dataSource) {
		PgConnection connection = PgConnection.of(dataSource);
		String serverVersion = serverVersion(dataSource);
		PgClient pgDump = PgClient.find("pg_dump", this.settings.pgDumpPath(), PATH_PROPERTY);
		checkCompatible(pgDump, serverVersion, connection);
		for (String client : verificationClients()) {
			PgClient.find(client, this.settings.pgDumpPath(), PATH_PROPERTY);
		}
	}

	/** The clients verification runs: {@code pg_restore} to read an archive, {@code psql} to restore a script. */
	private List<String> verificationClients() {
		List<String> clients = new ArrayList<>();
		if (this.settings.verify() != BackupVerification.NONE && this.settings.format() != PgDumpFormat.PLAIN) {
			clients.add("pg_restore");
		}
		if (this.settings.verify() == BackupVerification.RESTORE) {
			clients.add("psql");
		}
		return clients;
	}

	@Override
	public boolean backsUpWholeDatabase() {
		return this.settings.scope() == BackupScope.DATABASE;
	}

	@Override
	public BackupRecord backup(BackupRequest request) {
		Instant started = this.clock.instant();
		PgConnection connection = PgConnection.of(request.dataSource());
		ExpectedContents expected = ExpectedContents.read(request.dataSource(), this.settings.scope(),
				request.schemas());
		PgClient pgDump = PgClient.find("pg_dump", this.settings.pgDumpPath(), PATH_PROPERTY);
		checkCompatible(pgDump, expected.serverVersion(), connection);
		DatabaseIdentity identity = DatabaseIdentity.of(request);
		Path directory = BackupDirectory.prepare(this.settings.directory());
		deleteLeftovers(directory);
		RestoreVerifier.dropLeftovers(request.dataSource());
		String fileName = freeName(directory, identity, started, request);
		Path partial = directory.resolve(BackupFileName.partial(fileName));
		Path target = directory.resolve(fileName);
		boolean complete = false;
		// With verify=restore, pg_dump dumps a snapshot in which the rows are counted first.
		try (DumpSnapshot snapshot = (this.settings.verify() == BackupVerification.RESTORE)
				? DumpSnapshot.export(request.dataSource(), expected.schemas()) : null;
				PgClientFiles files = connection.writeClientFiles()) {
			List<String> command = command(pgDump, expected, snapshot, partial);
			logger.info("Backing up " + connection.describe() + " (" + scopeLabel(expected) + ") with " + pgDump
					+ " to " + target + " " + request.reason());
			ArchiveSchemas archive = new ArchiveSchemas(expected.namespaces());
			Lines scriptLines = (this.settings.format() == PgDumpFormat.PLAIN)
					? new Lines(expected.charset(), true, archive::scriptLine) : null;
			BackupRecord backup;
			try (PartialDump dump = (this.settings.format() == PgDumpFormat.DIRECTORY) ? DumpDirectory.create(partial)
					: DumpFile.create(partial, scriptLines)) {
				dump(command, connection, files, dump);
				if (snapshot != null) {
					// pg_dump is done with it: end the transaction before the long restore.
					snapshot.close();
				}
				String sha256 = dump.complete();
				long size = dump.size();
				boolean verified = verify(partial, connection, files, expected, archive);
				List<String> schemas = expected.check(archive.found());
				if (snapshot != null) {
					new RestoreVerifier(
							new BackupRestorer(this.settings.pgDumpPath(), this.settings.timeout(), this.settings.jobs()),
							PgClient.find("psql", this.settings.pgDumpPath(), PATH_PROPERTY), this.settings.timeout())
						.verify(partial, this.settings.format(), request.dataSource(), connection, expected,
								snapshot.counts());
				}
				Instant finished = this.clock.instant();
				Duration duration = Duration.between(started, finished);
				String restoreCommand = BackupRestorer.restoreCommand(target, this.settings.format(),
						this.settings.jobs(), connection);
				// The sidecar first: whoever sees the backup under its final name finds its metadata.
				new BackupMetadata(fileName, NAME, request.kind(), finished, request.fromVersion(),
						request.toVersion(), this.settings.format(), this.settings.scope(), schemas,
						connection.describe(), identity.databaseName(), identity.id(), size, sha256, duration, verified,
						this.settings.verify(), (snapshot != null) ? snapshot.counts().rows().size() : null,
						(snapshot != null) ? snapshot.counts().total() : null, expected.serverVersion(),
						pgDump.version(), command, restoreCommand)
					.writeTo(directory);
				Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
				// Both renames reach the disk before anyone is told that the backup is done.
				LockedFile.forceDirectory(directory);
				complete = true;
				logger.info("Backup " + target + " complete: " + size + " bytes in " + DurationFormat.format(duration)
						+ (verified ? verifiedLabel() : ", not verified (migrations.backup.verify=none)") + ", schemas "
						+ String.join(", ", schemas) + ". Restore it with: " + restoreCommand);
				backup = new BackupRecord(NAME, target.toString(), finished, size, duration, request.fromVersion(),
						request.toVersion(), verified, request.kind());
			}
			BackupRetention.apply(directory, identity, request.kind(), this.settings.keepLast(request.kind()),
					PgDumpSettings.keepLastProperty(request.kind()), fileName);
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

	/**
	 * Delete what backups of processes that died left behind: partial dumps, partial
	 * directories and sidecars in the directory, passfiles in the temporary directory;
	 * only those whose lock nobody holds (see LockedFile). Their temporary databases are
	 * dropped by {@link RestoreVerifier#dropLeftovers}.
	 */
	private void deleteLeftovers(Path directory) {
		LockedFile.deleteLeftovers(directory, this.settings.timeout());
		PgClientFiles.deleteLeftovers(this.settings.timeout());
	}

	private void dump(List<String> command, PgConnection connection, PgClientFiles files, PartialDump dump)
			throws IOException {
		long[] lastReported = { -1 };
		ChildProcess.Result result;
		try {
			result = ChildProcess.stream(command, environment(connection, files), this.settings.timeout(),
					this.settings.progressInterval(), () -> {
						long size = dump.size();
						if (size >= 0 && size != lastReported[0]) {
							logger.info("pg_dump: " + size + " bytes written so far");
							lastReported[0] = size;
						}
					}, dump);
		}
		catch (IOException ex) {
			if (!Files.isExecutable(Path.of(command.get(0)))) {
				throw new BackupException("Could not run " + command.get(0) + ": " + ex.getMessage(),
						"Check that " + command.get(0) + " can be run by this user.", ex);
			}
			throw ex;
		}
		if (result.timedOut()) {
			throw new BackupException(
					"pg_dump did not finish within " + DurationFormat.format(this.settings.timeout())
							+ " (migrations.backup.timeout) and was killed; no backup was kept",
					"Raise migrations.backup.timeout if the database is that large, or check what blocks pg_dump on the server "
							+ "(pg_stat_activity: an exclusive lock on a table holds pg_dump up).",
					null);
		}
		if (result.exitCode() != 0) {
			String output = result.output().strip();
			throw new BackupException("pg_dump failed with exit code " + result.exitCode() + ": " + output,
					PgTls.isTlsFailure(output) ? connection.tls().fix() : actionFor(output, this.settings.jobs()), null);
		}
	}

	private boolean verify(Path partial, PgConnection connection, PgClientFiles files,
			ExpectedContents expected, ArchiveSchemas archive) throws IOException {
		if (this.settings.format() == PgDumpFormat.PLAIN) {
			if (this.settings.verify() != BackupVerification.NONE && !tail(partial).contains(PLAIN_TRAILER)) {
				throw new BackupException("Verification of the plain backup failed: the script does not end with pg_dump's \""
						+ PLAIN_TRAILER + "\" line, so it is incomplete", "Check the disk and pg_dump's output, then start again.",
						null);
			}
			return this.settings.verify() != BackupVerification.NONE;
		}
		// The table of contents is read whether verification is on or not: it tells which
		// schemas the archive holds.
		PgClient pgRestore = PgClient.find("pg_restore", this.settings.pgDumpPath(), PATH_PROPERTY);
		List<String> listed = new ArrayList<>();
		Lines lines = new Lines(expected.charset(), false, (line) -> {
			archive.listLine(line);
			if (this.settings.format() == PgDumpFormat.DIRECTORY) {
				listed.add(line);
			}
		});
		ChildProcess.Result result = ChildProcess.stream(
				List.of(pgRestore.path().toString(), "--list", partial.toString()), environment(connection, files),
				this.settings.timeout(), this.settings.timeout(), () -> {
				}, lines);
		lines.finish();
		if (result.timedOut() || result.exitCode() != 0) {
			throw new BackupException(
					"Verification of the backup failed: pg_restore --list " + (result.timedOut() ? "timed out"
							: "exited with code " + result.exitCode() + ": " + result.output().strip()),
					"The dump is unreadable and was discarded. Check the disk, then start again; set migrations.backup.verify=none only to diagnose.",
					null);
		}
		if (this.settings.verify() != BackupVerification.NONE && this.settings.format() == PgDumpFormat.DIRECTORY) {
			// pg_restore --list reads only the table of contents, not the tables' files.
			List<String> missing = DumpDirectory.missingDataFiles(partial, listed);
			if (!missing.isEmpty()) {
				throw new BackupException("Verification of the backup failed: the directory lacks the data files of "
						+ missing.size() + " tables its table of contents lists: "
						+ String.join(", ", missing.subList(0, Math.min(missing.size(), 10)))
						+ ((missing.size() > 10) ? " and " + (missing.size() - 10) + " more" : ""),
						"The dump is incomplete and was discarded. Check the disk and that nothing else writes into "
								+ "migrations.backup.directory, then start again.",
						null);
			}
		}
		return this.settings.verify() != BackupVerification.NONE;
	}

	private static Map<String, String> environment(PgConnection connection, PgClientFiles files) {
		return connection.environment(files);
	}

	private List<String> command(PgClient pgDump, ExpectedContents expected, @Nullable DumpSnapshot snapshot,
			Path partial) {
		List<String> command = new ArrayList<>(
				List.of(pgDump.path().toString(), "--format=" + this.settings.format().option(), "--no-password"));
		if (this.settings.format() == PgDumpFormat.DIRECTORY) {
			// pg_dump writes a directory itself, into the empty partial one (see DumpDirectory).
			command.add("--jobs=" + this.settings.jobs());
			command.add("--file=" + partial);
		}
		// Otherwise no --file: the dump comes through this process (see ChildProcess).
		if (snapshot != null) {
			command.add("--snapshot=" + snapshot.id());
		}
		if (!expected.schemas().isEmpty()) {
			// Exact names: pg_dump takes a double-quoted pattern literally (no case folding,
			// no wildcards, no dot as a separator), and --strict-names fails on a pattern
			// that matches nothing instead of dumping the other schemas silently.
			command.add("--strict-names");
			for (String schema : expected.schemas()) {
				command.add("--schema=\"" + schema.replace("\"", "\"\"") + "\"");
			}
		}
		return command;
	}

	private static String serverVersion(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SHOW server_version")) {
			result.next();
			return result.getString(1).split(" ")[0];
		}
		catch (SQLException ex) {
			throw new BackupException("Could not read the server's version before backing up: " + ex.getMessage(),
					"Check that the database is reachable with the application's credentials.", ex);
		}
	}

	private static String scopeLabel(ExpectedContents expected) {
		return expected.schemas().isEmpty() ? "whole database" : "schemas " + String.join(", ", expected.schemas());
	}

	private static void checkCompatible(PgClient pgDump, String serverVersion, PgConnection connection) {
		int serverMajor = Integer.parseInt(serverVersion.split("\\.")[0].replaceAll("\\D.*", ""));
		if (pgDump.major() < serverMajor) {
			throw new BackupException("pg_dump " + pgDump.version() + " at " + pgDump.path()
					+ " is older than the PostgreSQL " + serverVersion + " server at " + connection.host() + ":"
					+ connection.port() + ", and pg_dump cannot back up a server of a newer major version",
					"Install PostgreSQL " + serverMajor + "'s client or newer (Debian/Ubuntu: apt-get install postgresql-client-"
							+ serverMajor + "), set " + PATH_PROPERTY + " to a pg_dump " + serverMajor
							+ " or newer, choose migrations.backup.strategy=none, or define your own BackupStrategy bean.",
					null);
		}
	}

	private String freeName(Path directory, DatabaseIdentity identity, Instant at, BackupRequest request) {
		for (int attempt = 0;; attempt++) {
			String name = BackupFileName.of(identity, at, request.kind(), request.fromVersion(), request.toVersion(),
					this.settings.format(), attempt);
			if (!Files.exists(directory.resolve(name))) {
				return name;
			}
		}
	}

	private static String tail(Path file) throws IOException {
		long size = Files.size(file);
		try (InputStream input = Files.newInputStream(file)) {
			input.skipNBytes(Math.max(0, size - 512));
			return new String(input.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

	private static String actionFor(String output, int jobs) {
		String lower = output.toLowerCase(Locale.ROOT);
		if (ConnectionLimit.isRefusal(output)) {
			return ConnectionLimit.fix("pg_dump", jobs);
		}
		if (lower.contains("password authentication failed") || lower.contains("no password supplied")
				|| (lower.contains("role") && lower.contains("does not exist"))) {
			return "Check the database user and password (spring.datasource.* or spring.flyway.user/password): pg_dump connects with them.";
		}
		if (lower.contains("no space left") || lower.contains("could not write") || lower.contains("file too large")) {
			return "Free space where migrations.backup.directory points, or point it at a volume with room for a full dump.";
		}
		if (lower.contains("permission denied")) {
			return "Grant the database user read access to everything it must dump (or back up as the owner), or narrow migrations.backup.scope=schemas.";
		}
		if (lower.contains("server version") && lower.contains("mismatch")) {
			return "Install a pg_dump of the server's major version or newer, or set " + PATH_PROPERTY + ".";
		}
		return "Read pg_dump's message above, fix the cause, and start again; no migration ran.";
	}

	private static void deleteQuietly(Path file) {
		try {
			// A directory-format backup is a directory.
			FileSystemUtils.deleteRecursively(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + file, ex);
		}
	}

}
