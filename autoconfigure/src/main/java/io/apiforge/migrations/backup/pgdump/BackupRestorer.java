package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.backup.BackupException;

/**
 * The way back: restores a backup taken by {@link PgDumpBackupStrategy} into a database,
 * with {@code pg_restore} (custom and directory formats, the latter with
 * {@code --jobs}) or {@code psql} (plain format), stopping at the first error. Restore
 * into a new, empty database, check it, then switch the application
 * over (or rename databases): restoring over a live database mixes old and new objects.
 *
 * @author apiforge
 */
public class BackupRestorer {

	private static final Log logger = LogFactory.getLog(BackupRestorer.class);

	private final @Nullable Path pgDumpPath;

	private final Duration timeout;

	private final int jobs;

	/**
	 * Create a restorer that restores with one job.
	 * @param pgDumpPath the configured {@code pg_dump} ({@code pg_restore} and
	 * {@code psql} are looked for beside it), or {@code null} to look on the {@code PATH}
	 * @param timeout how long a restore may take
	 */
	public BackupRestorer(@Nullable Path pgDumpPath, Duration timeout) {
		this(pgDumpPath, timeout, 1);
	}

	/**
	 * Create a restorer.
	 * @param pgDumpPath the configured {@code pg_dump} ({@code pg_restore} and
	 * {@code psql} are looked for beside it), or {@code null} to look on the {@code PATH}
	 * @param timeout how long a restore may take
	 * @param jobs how many tables {@code pg_restore} restores at once from a
	 * directory-format backup, each over a connection of its own
	 */
	public BackupRestorer(@Nullable Path pgDumpPath, Duration timeout, int jobs) {
		Assert.isTrue(jobs >= 1, "'jobs' must be at least 1");
		this.pgDumpPath = pgDumpPath;
		this.timeout = timeout;
		this.jobs = jobs;
	}

	/**
	 * Return a command that restores a backup into the database of a connection: the
	 * one the documentation and the log show. It holds no password (the client asks for
	 * it, or reads {@code PGPASSWORD} or {@code ~/.pgpass}), but it sets the TLS settings
	 * ({@code PGSSLMODE=… pg_restore …}) when the connection requires encryption.
	 * @param backup the backup file
	 * @param format its format
	 * @param target where to restore it; usually a new, empty database
	 * @return the command, for a shell
	 */
	public static String restoreCommand(Path backup, PgDumpFormat format, PgConnection target) {
		return restoreCommand(backup, format, 1, target);
	}

	/**
	 * Return a command that restores a backup into the database of a connection, as
	 * {@link #restoreCommand(Path, PgDumpFormat, PgConnection)} does, a directory-format
	 * backup with {@code pg_restore --jobs}.
	 * @param backup the backup file or directory
	 * @param format its format
	 * @param jobs how many tables to restore at once (directory format)
	 * @param target where to restore it; usually a new, empty database
	 * @return the command, for a shell
	 */
	public static String restoreCommand(Path backup, PgDumpFormat format, int jobs, PgConnection target) {
		List<String> command = new ArrayList<>();
		if (target.tls().requiresEncryption()) {
			// The TLS settings, so that the restore connects as securely as the backup did; the
			// key's password is left to the operator (a service file or the prompt).
			target.tls().environment(Path.of("/nonexistent")).forEach((name, value) -> command.add(name + "=" + value));
		}
		if (format.isArchive()) {
			command.addAll(List.of("pg_restore", "--exit-on-error", "--no-owner"));
			if (format == PgDumpFormat.DIRECTORY) {
				command.add("--jobs=" + jobs);
			}
		}
		else {
			command.addAll(List.of("psql", "--set=ON_ERROR_STOP=1", "--single-transaction"));
		}
		command.addAll(List.of("--host=" + target.host(), "--port=" + target.port()));
		if (target.user() != null) {
			command.add("--username=" + target.user());
		}
		command.add("--dbname=" + target.database());
		command.add(format.isArchive() ? backup.toString() : "--file=" + backup);
		return String.join(" ", command.stream().map(BackupRestorer::shellQuote).toList());
	}

	/**
	 * Restore a backup into a database, which should be new and empty.
	 * @param backup the backup file ({@code .dump} or {@code .sql}) or directory
	 * ({@code .dir})
	 * @param target the database to restore into
	 * @throws BackupException when the restore failed; the target may then hold part of
	 * the backup
	 */
	public void restore(Path backup, DataSource target) {
		boolean directory = Files.isRegularFile(backup.resolve("toc.dat"));
		if (!Files.isRegularFile(backup) && !directory) {
			throw new BackupException("No backup at " + backup,
					"Give the path of a .dump or .sql file, or of a .dir directory, that the backup wrote.", null);
		}
		PgDumpFormat format = directory ? PgDumpFormat.DIRECTORY
				: backup.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sql") ? PgDumpFormat.PLAIN
						: PgDumpFormat.CUSTOM;
		restore(backup, format, PgConnection.of(target), target);
	}

	/**
	 * Restore a backup into the database of a connection, which should be new and empty,
	 * with the command {@link #restoreCommand} shows.
	 * @param backup the backup file
	 * @param format its format
	 * @param connection the database to restore into
	 * @throws BackupException when the restore failed; the target may then hold part of
	 * the backup
	 */
	void restore(Path backup, PgDumpFormat format, PgConnection connection) {
		restore(backup, format, connection, null);
	}

	/**
	 * Restore a backup, dropping first the target's empty schemas that it creates when a
	 * data source of the target is given.
	 */
	private void restore(Path backup, PgDumpFormat format, PgConnection connection, @Nullable DataSource target) {
		PgClient client = PgClient.find(format.isArchive() ? "pg_restore" : "psql", this.pgDumpPath,
				PgDumpBackupStrategy.PATH_PROPERTY);
		List<String> command = new ArrayList<>();
		command.add(client.path().toString());
		if (format.isArchive()) {
			command.addAll(List.of("--exit-on-error", "--no-owner", "--no-password"));
			if (format == PgDumpFormat.DIRECTORY) {
				command.add("--jobs=" + this.jobs);
			}
			command.addAll(List.of("--dbname=" + connection.database(), backup.toString()));
		}
		else {
			command.addAll(List.of("--set=ON_ERROR_STOP=1", "--single-transaction", "--no-password", "--quiet",
					"--dbname=" + connection.database(), "--file=" + backup));
		}
		long started = System.nanoTime();
		try (PgClientFiles files = connection.writeClientFiles()) {
			if (target != null) {
				dropEmptySchemasInTheWay(backup, format, client, connection, files, target);
			}
			ChildProcess.Result result = ChildProcess.run(command, connection.environment(files), this.timeout,
					Duration.ofSeconds(5), null, (size) -> {
					});
			if (result.timedOut() || result.exitCode() != 0) {
				throw new BackupException("Restoring " + backup + " into " + connection.describe() + " failed: "
						+ (result.timedOut() ? "timed out after " + DurationFormat.format(this.timeout)
								: client.path().getFileName() + " exited with code " + result.exitCode() + ": "
										+ result.output().strip()),
						PgTls.isTlsFailure(result.output()) ? connection.tls().fix()
								: ConnectionLimit.isRefusal(result.output())
										? ConnectionLimit.fix("pg_restore",
												(format == PgDumpFormat.DIRECTORY) ? this.jobs : 1)
										: "Restore into a new, empty database (createdb), with a user that may create its objects.",
						null);
			}
			logger.info("Restored " + backup + " into " + connection.describe() + " in "
					+ DurationFormat.format(Duration.ofNanos(System.nanoTime() - started)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A new database has an empty {@code public} schema, which a schema-scoped backup of
	 * {@code public} creates again: drop the target's empty schemas that the backup
	 * creates, so that the restore does not stop on them.
	 */
	private void dropEmptySchemasInTheWay(Path backup, PgDumpFormat format, PgClient client, PgConnection connection,
			PgClientFiles files, DataSource target) throws IOException {
		List<String> created;
		if (format.isArchive()) {
			List<String> schemaEntries = new ArrayList<>();
			Lines lines = new Lines(StandardCharsets.UTF_8, false, (line) -> {
				if (line.matches("^\\d+; \\d+ \\d+ SCHEMA - .*")) {
					schemaEntries.add(line);
				}
			});
			ChildProcess.Result list = ChildProcess.stream(
					List.of(client.path().toString(), "--list", backup.toString()), connection.environment(files),
					this.timeout, this.timeout, () -> {
					}, lines);
			lines.finish();
			if (list.timedOut() || list.exitCode() != 0) {
				throw new BackupException("Could not read the table of contents of " + backup + ": "
						+ (list.timedOut() ? "timed out" : list.output().strip()),
						"Check that the file is a complete pg_dump archive (pg_restore --list " + backup + ").", null);
			}
			created = schemaEntries;
		}
		else {
			created = EmptySchemasInTheWay.createSchemaLines(backup);
		}
		try {
			EmptySchemasInTheWay.drop(target, created, format == PgDumpFormat.PLAIN);
		}
		catch (SQLException ex) {
			throw new BackupException("Could not prepare " + connection.describe() + " for the restore: " + ex.getMessage(),
					"Restore into a new, empty database (createdb), with a user that may create its objects.", ex);
		}
	}

	private static String shellQuote(String argument) {
		return argument.matches("[A-Za-z0-9_./:=@%+-]+") ? argument : "'" + argument.replace("'", "'\\''") + "'";
	}

}
