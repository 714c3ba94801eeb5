package io.apiforge.migrations.backup.pgdump;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.backup.BackupException;

/**
 * {@code migrations.backup.verify=restore}: restores a new backup into a temporary
 * database on the same server and compares the row count of every table with the
 * source's, counted in the snapshot the dump saw ({@link DumpSnapshot}).
 * <p>
 * The temporary database is created by the application's role from {@code template0},
 * with the source's encoding and locale, and is named
 * {@code migrations_verify_<source database OID>_<key>}. While it exists, the session
 * that created it (on the source database) holds the advisory lock
 * {@code (}{@value #LOCK_CLASS}{@code , <key>)}. It is dropped on every path; one that a
 * process which died left behind is dropped by the next backup of the same database
 * ({@link #dropLeftovers}): its name says whose it is, and nobody holds its lock.
 *
 * @author apiforge
 */
final class RestoreVerifier {

	/** The prefix of the temporary databases' names. */
	static final String DATABASE_PREFIX = "migrations_verify_";

	/** The first key of the advisory locks that mark a temporary database in use ("mver"). */
	static final int LOCK_CLASS = 0x6d766572;

	private static final Log logger = LogFactory.getLog(RestoreVerifier.class);

	private static final SecureRandom random = new SecureRandom();

	private final BackupRestorer restorer;

	private final PgClient psql;

	private final Duration timeout;

	RestoreVerifier(BackupRestorer restorer, PgClient psql, Duration timeout) {
		this.restorer = restorer;
		this.psql = psql;
		this.timeout = timeout;
	}

	/**
	 * Check that the application's role may create the temporary database.
	 * @param dataSource the database
	 * @throws BackupException when it may not, naming the fix
	 */
	static void checkMayCreateDatabase(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(
						"SELECT current_user, rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
			if (result.next() && !result.getBoolean(2)) {
				String role = result.getString(1);
				throw new BackupException("migrations.backup.verify=restore restores each backup into a temporary database "
						+ "on the same server, but the role \"" + role + "\" may not create databases (no CREATEDB)",
						"Grant it: ALTER ROLE \"" + role.replace("\"", "\"\"")
								+ "\" CREATEDB; or set migrations.backup.verify=list to check backups with pg_restore --list only.",
						null);
			}
		}
		catch (SQLException ex) {
			throw new BackupException("Could not read whether the database user may create databases "
					+ "(migrations.backup.verify=restore): " + ex.getMessage(),
					"Check that the database is reachable with the application's credentials.", ex);
		}
	}

	/**
	 * Restore a dump into a temporary database, compare its row counts with the
	 * snapshot's, and drop the database.
	 * @param dump the dump
	 * @param format its format
	 * @param source the database it is a dump of
	 * @param connection where its client programs connect
	 * @param expected what the dump holds
	 * @param counts the rows of each table in the dump's snapshot
	 * @throws RestoreVerificationException when the restore fails or the counts differ
	 * @throws BackupException when the temporary database cannot be created
	 */
	void verify(Path dump, PgDumpFormat format, DataSource source, PgConnection connection, ExpectedContents expected,
			TableRowCounts counts) {
		long started = System.nanoTime();
		try (Connection session = source.getConnection()) {
			// CREATE DATABASE cannot run in a transaction, whatever the pool's default.
			session.setAutoCommit(true);
			Database database = Database.read(session);
			int key = lockNewKey(session);
			String name = DATABASE_PREFIX + database.oid() + "_" + key;
			try {
				createDatabase(session, name, database);
				try {
					restore(dump, format, connection.withDatabase(name), expected, counts);
				}
				finally {
					drop(session, name, database.serverVersion());
				}
			}
			finally {
				unlock(session, key);
			}
			logger.info("Restored the backup into temporary database " + name + " and found the rows of all "
					+ counts.rows().size() + " tables (" + counts.total() + " rows) in "
					+ DurationFormat.format(Duration.ofNanos(System.nanoTime() - started)));
		}
		catch (SQLException ex) {
			throw new BackupException("Could not create the temporary database to verify the backup in "
					+ "(migrations.backup.verify=restore): " + ex.getMessage(),
					"Grant the database user CREATEDB, or set migrations.backup.verify=list.", ex);
		}
	}

	private void restore(Path dump, PgDumpFormat format, PgConnection target, ExpectedContents expected,
			TableRowCounts counts) {
		if (expected.scope() == BackupScope.SCHEMAS && expected.schemas().contains("public")) {
			// A schema-scoped dump of public creates it, and a new database already has it.
			psql(target, "DROP SCHEMA public");
		}
		try {
			this.restorer.restore(dump, format, target);
		}
		catch (BackupException ex) {
			throw new RestoreVerificationException("Verification of the backup failed: it does not restore. "
					+ ex.getMessage() + ". The backup was discarded",
					"Read the restore's error above. A backup holding an extension this user may not create, or objects "
							+ "owned by roles the restore cannot set, cannot be verified by a restore as this user: set "
							+ "migrations.backup.verify=list.");
		}
		TableRowCounts restored = TableRowCounts.parse(psql(target, TableRowCounts.query(expected.schemas())));
		List<String> differences = counts.differences(restored);
		if (!differences.isEmpty()) {
			throw new RestoreVerificationException("Verification of the backup failed: restored into a temporary "
					+ "database, it does not hold the rows the source held when it was dumped: "
					+ String.join("; ", differences.subList(0, Math.min(differences.size(), 10)))
					+ ((differences.size() > 10) ? "; and " + (differences.size() - 10) + " more tables" : "")
					+ ". The backup was discarded",
					"Check that " + PgDumpBackupStrategy.PATH_PROPERTY
							+ " is an unmodified pg_dump and that no option leaves table data out, then start again.");
		}
	}

	private String psql(PgConnection target, String sql) {
		List<String> command = List.of(this.psql.path().toString(), "--no-password", "--no-psqlrc",
				"--set=ON_ERROR_STOP=1", "--tuples-only", "--no-align", "--field-separator-zero",
				"--record-separator-zero", "--dbname=" + target.database(), "--command=" + sql);
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		try (PgClientFiles files = target.writeClientFiles()) {
			ChildProcess.Result result = ChildProcess.stream(command, target.environment(files), this.timeout,
					this.timeout, () -> {
					}, output::write);
			if (result.timedOut() || result.exitCode() != 0) {
				throw new RestoreVerificationException(
						"Verification of the backup failed: psql on the restored copy "
								+ (result.timedOut() ? "timed out" : "exited with code " + result.exitCode() + ": "
										+ result.output().strip())
								+ ". The backup was discarded",
						"Read psql's error above, fix the cause, and start again; or set migrations.backup.verify=list.");
			}
			return output.toString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new BackupException("Could not run psql to verify the backup: " + ex.getMessage(),
					"Check that " + this.psql.path() + " can be run by this user.", ex);
		}
	}

	private static int lockNewKey(Connection session) throws SQLException {
		while (true) {
			int key = random.nextInt(Integer.MAX_VALUE);
			if (tryLock(session, key)) {
				return key;
			}
		}
	}

	private static void createDatabase(Connection session, String name, Database source) throws SQLException {
		try (Statement statement = session.createStatement()) {
			statement.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING " + literal(source.encoding())
					+ " LC_COLLATE " + literal(source.collate()) + " LC_CTYPE " + literal(source.ctype()));
		}
	}

	/**
	 * Drop the temporary databases of a source database whose creator is gone (their
	 * lock can be taken), whatever the verification level is now.
	 * @param source the source database
	 */
	static void dropLeftovers(DataSource source) {
		try (Connection session = source.getConnection()) {
			session.setAutoCommit(true);
			dropLeftovers(session, Database.read(session));
		}
		catch (SQLException ex) {
			logger.debug("Could not look for temporary databases left by a verification whose process died", ex);
		}
	}

	private static void dropLeftovers(Connection session, Database database) {
		long sourceOid = database.oid();
		Pattern ours = Pattern.compile(Pattern.quote(DATABASE_PREFIX + sourceOid + "_") + "(\\d+)");
		List<String> names = new ArrayList<>();
		try (PreparedStatement statement = session
			.prepareStatement("SELECT datname FROM pg_database WHERE strpos(datname, ?) = 1")) {
			statement.setString(1, DATABASE_PREFIX + sourceOid + "_");
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					names.add(result.getString(1));
				}
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not look for temporary databases left by a verification whose process died", ex);
			return;
		}
		for (String name : names) {
			Matcher matcher = ours.matcher(name);
			if (!matcher.matches()) {
				continue;
			}
			int key;
			try {
				key = Integer.parseInt(matcher.group(1));
			}
			catch (NumberFormatException ex) {
				continue;
			}
			try {
				if (tryLock(session, key)) {
					try {
						drop(session, name, database.serverVersion());
						logger.info("Dropped temporary database " + name + ", left by a backup verification whose process died");
					}
					finally {
						unlock(session, key);
					}
				}
			}
			catch (SQLException ex) {
				logger.debug("Could not drop " + name + ", left by a backup verification", ex);
			}
		}
	}

	private static void drop(Connection session, String name, int serverVersion) {
		// FORCE (PostgreSQL 13) ends what is still connected: a restore that outlived its process.
		String sql = "DROP DATABASE IF EXISTS " + name + ((serverVersion >= 130000) ? " WITH (FORCE)" : "");
		try (Statement statement = session.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			logger.warn("Could not drop temporary database " + name + " (" + ex.getMessage()
					+ "); the next backup drops it, or drop it yourself: " + sql);
		}
	}

	private static boolean tryLock(Connection session, int key) throws SQLException {
		try (PreparedStatement statement = session.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
			statement.setInt(1, LOCK_CLASS);
			statement.setInt(2, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	private static void unlock(Connection session, int key) {
		try (PreparedStatement statement = session.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
			statement.setInt(1, LOCK_CLASS);
			statement.setInt(2, key);
			statement.execute();
		}
		catch (SQLException ex) {
			logger.debug("Could not release the lock of a temporary database; it ends with the session", ex);
		}
	}

	private static String literal(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

	/**
	 * The source database, as a template for the temporary one.
	 */
	private record Database(long oid, String encoding, String collate, String ctype, int serverVersion) {

		static Database read(Connection session) throws SQLException {
			try (Statement statement = session.createStatement();
					ResultSet result = statement.executeQuery("SELECT oid, pg_encoding_to_char(encoding), datcollate, "
							+ "datctype, current_setting('server_version_num')::int FROM pg_database "
							+ "WHERE datname = current_database()")) {
				result.next();
				return new Database(result.getLong(1), result.getString(2), result.getString(3), result.getString(4),
						result.getInt(5));
			}
		}

	}

}
