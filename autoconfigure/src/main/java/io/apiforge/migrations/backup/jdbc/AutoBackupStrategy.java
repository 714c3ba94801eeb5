package io.apiforge.migrations.backup.jdbc;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.pgdump.PgClient;
import io.apiforge.migrations.backup.pgdump.PgDumpBackupStrategy;
import io.apiforge.migrations.backup.pgdump.PgDumpFormat;

/**
 * {@code migrations.backup.strategy=auto}: {@code pg_dump} when a compatible one is found
 * (its strategy's {@link BackupStrategy#check check} passes), otherwise the {@code jdbc}
 * strategy, which needs no binary. The choice is made once, at start-up's check (or at
 * the first backup), and the log says which and why; a {@code jdbc} backup's sidecar
 * records why too ({@code chosenBecause}).
 *
 * @author apiforge
 */
public class AutoBackupStrategy implements BackupStrategy {

	private static final Log logger = LogFactory.getLog(AutoBackupStrategy.class);

	private final BackupStrategy pgDump;

	private final JdbcBackupStrategy jdbc;

	private final BooleanSupplier pgDumpFound;

	private volatile @Nullable Choice choice;

	/**
	 * Create a strategy that chooses between two.
	 * @param pgDump the {@code pg-dump} strategy, preferred
	 * @param jdbc the {@code jdbc} strategy, the fallback
	 * @param pgDumpFound whether a {@code pg_dump} binary is there, which is what
	 * {@link #name()} goes by before the choice is made
	 */
	public AutoBackupStrategy(BackupStrategy pgDump, JdbcBackupStrategy jdbc, BooleanSupplier pgDumpFound) {
		Assert.notNull(pgDump, "'pgDump' must not be null");
		Assert.notNull(jdbc, "'jdbc' must not be null");
		Assert.notNull(pgDumpFound, "'pgDumpFound' must not be null");
		this.pgDump = pgDump;
		this.jdbc = jdbc;
		this.pgDumpFound = pgDumpFound;
	}

	/**
	 * Create a strategy that chooses between the built-in ones.
	 * @param pgDump the {@code pg-dump} strategy, preferred
	 * @param pgDumpPath the configured {@code pg_dump}, or {@code null} for the one on the
	 * {@code PATH}
	 * @param jdbc the {@code jdbc} strategy, the fallback
	 * @return the strategy
	 */
	public static AutoBackupStrategy of(PgDumpBackupStrategy pgDump, @Nullable Path pgDumpPath,
			JdbcBackupStrategy jdbc) {
		// Only the file system: the name is read while the application starts (the
		// meters' tag), and running pg_dump --version there costs a process on the main
		// thread; the check, in the background, runs it.
		return new AutoBackupStrategy(pgDump, jdbc, () -> {
			try {
				PgClient.locate("pg_dump", pgDumpPath, "migrations.backup.pg-dump.path");
				return true;
			}
			catch (BackupException ex) {
				return false;
			}
		});
	}

	@Override
	public void check(DataSource dataSource) {
		choose(dataSource).strategy().check(dataSource);
	}

	@Override
	public @Nullable BackupRecord backup(BackupRequest request) {
		Choice choice = choose(request.dataSource());
		if (choice.strategy() == this.jdbc) {
			return this.jdbc.backup(request, choice.reason());
		}
		return choice.strategy().backup(request);
	}

	@Override
	public boolean backsUpWholeDatabase() {
		Choice choice = this.choice;
		return ((choice != null) ? choice.strategy() : this.pgDump).backsUpWholeDatabase();
	}

	@Override
	public String describe() {
		Choice choice = this.choice;
		if (choice == null) {
			// Not chosen yet (nothing was pending at start-up, or no start-up check in this
			// mode): the likely one, by the binary.
			return this.pgDumpFound.getAsBoolean()
					? this.pgDump.describe() + ", chosen by migrations.backup.strategy=auto if pg_dump fits the server, otherwise jdbc"
					: this.jdbc.describe() + ", chosen by migrations.backup.strategy=auto: no pg_dump found";
		}
		return choice.strategy().describe() + ", chosen by migrations.backup.strategy=auto: " + choice.reason();
	}

	/**
	 * Return the name of the strategy chosen, or, before the choice, of the one that
	 * likely will be: {@code pg-dump} when a {@code pg_dump} executable is there (looked
	 * for without running it), {@code jdbc} otherwise.
	 */
	@Override
	public String name() {
		Choice choice = this.choice;
		if (choice != null) {
			return choice.strategy().name();
		}
		return this.pgDumpFound.getAsBoolean() ? this.pgDump.name() : this.jdbc.name();
	}

	/**
	 * Return the strategy chosen so far.
	 * @return the strategy, or {@code null} before the check or the first backup
	 */
	public @Nullable BackupStrategy chosen() {
		Choice choice = this.choice;
		return (choice != null) ? choice.strategy() : null;
	}

	private synchronized Choice choose(DataSource dataSource) {
		Choice choice = this.choice;
		if (choice != null) {
			return choice;
		}
		try {
			if (this.pgDump instanceof PgDumpBackupStrategy pgDumpStrategy) {
				// Only a missing or too old client makes jdbc the choice; the rest of the
				// check (a role that may not create the verification's database) is said as
				// it is when the chosen strategy is checked.
				pgDumpStrategy.checkClients(dataSource);
			}
			else {
				this.pgDump.check(dataSource);
			}
			choice = new Choice(this.pgDump, "a compatible pg_dump was found");
			logger.info("Backups (migrations.backup.strategy=auto): pg-dump, because " + choice.reason() + ".");
		}
		catch (BackupException ex) {
			choice = new Choice(this.jdbc, "no compatible pg_dump: " + ex.getMessage());
			logger.info("Backups (migrations.backup.strategy=auto): jdbc, a dump over the application's connection, "
					+ "because there is " + choice.reason() + ". To back up with pg_dump instead: " + ex.getAction());
			warnOfIgnoredFormat();
		}
		this.choice = choice;
		return choice;
	}

	/**
	 * Say that the directory format (and its jobs), which only pg_dump writes, is not what
	 * the backups will be: without it, the setting would be dropped silently.
	 */
	private void warnOfIgnoredFormat() {
		if (this.pgDump instanceof PgDumpBackupStrategy pgDumpStrategy
				&& pgDumpStrategy.settings().format() == PgDumpFormat.DIRECTORY) {
			int jobs = pgDumpStrategy.settings().jobs();
			String ignored = "migrations.backup.format=directory"
					+ ((jobs > 1) ? " and migrations.backup.jobs=" + jobs + " are" : " is");
			logger.warn(ignored + " ignored: the jdbc strategy, chosen because there is no compatible pg_dump, "
					+ "writes a gzipped SQL script (.sql.gz) instead. To back up in the directory format, install a "
					+ "compatible pg_dump or set migrations.backup.pg-dump.path; otherwise remove migrations.backup.format"
					+ ((jobs > 1) ? " and migrations.backup.jobs" : "") + ".");
		}
	}

	private record Choice(BackupStrategy strategy, String reason) {

	}

}
