package io.apiforge.migrations.backup;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * Takes a backup of the database before pending migrations run. The lifecycle calls it
 * only when migrations are pending, once across replicas (while it holds the migration
 * lock), and before anything is migrated. Define a bean of this type to replace the
 * built-in choice, for example with a cloud volume snapshot.
 * <p>
 * An implementation must:
 * <ul>
 * <li>throw, never return, when the backup could not be taken completely (a
 * {@link BackupException} with a message that names the cause and the fix is best): the
 * lifecycle then refuses to migrate;</li>
 * <li>never leave a partial backup behind that could be mistaken for a complete one;</li>
 * <li>never write a secret (a password, a token) to a log line, a command line or the
 * returned record.</li>
 * </ul>
 *
 * @author apiforge
 */
@FunctionalInterface
public interface BackupStrategy {

	/**
	 * Take a backup.
	 * @param request what to back up and why
	 * @return a record of the backup taken, or {@code null} when this strategy decided
	 * that no backup is needed (it should log why)
	 * @throws BackupException when the backup failed
	 */
	@Nullable BackupRecord backup(BackupRequest request);

	/**
	 * Return whether this strategy backs up the whole database rather than only the
	 * schemas of its request. The empty-database rule follows it: for a whole-database
	 * backup, a table in any schema means there is something to lose; otherwise only the
	 * schemas Flyway manages are looked at. A strategy that snapshots the whole database
	 * (a volume snapshot) should return {@code true}.
	 * @return whether the whole database is backed up; {@code false} by default
	 */
	default boolean backsUpWholeDatabase() {
		return false;
	}

	/**
	 * Describe, for a plan, how and where this strategy backs up.
	 * @return a description, such as {@code pg-dump (custom format, whole database) into /var/backups}
	 */
	default String describe() {
		return getClass().getSimpleName();
	}

	/**
	 * Return a short name for this strategy, the {@code strategy} tag of the backup
	 * meters: a few fixed values only, such as {@code pg-dump}.
	 * @return the name; {@code custom} unless the strategy says otherwise
	 */
	default String name() {
		return "custom";
	}

	/**
	 * Check, without the database and without running anything, that what this strategy
	 * needs is installed (its tools are there), so that an image without them fails its
	 * first deployment even when nothing is pending. The lifecycle calls it at every
	 * start-up that may migrate or roll back, on the start-up's own thread: it must be
	 * quick (a look at the file system, not a child process or a query). The default
	 * checks nothing.
	 * @throws BackupException when a backup could never be taken here
	 */
	default void checkInstalled() {
	}

	/**
	 * Check that this strategy can back up this database: its tools fit the server, the
	 * role may do what a backup needs. The lifecycle calls it at start-up:
	 * <ul>
	 * <li>when migrations are pending, before it takes the migration lock, so that a
	 * set-up that cannot back up is refused before anything is locked or changed (the
	 * first deployment, on an empty database, included);</li>
	 * <li>with nothing pending, once the application is ready, where a failure is
	 * logged as a warning: no backup is needed on this start, and an application whose
	 * database server was upgraded past its image's tools still starts;</li>
	 * <li>with tenants to migrate after the application's schema, before they migrate;</li>
	 * <li>in the {@code rollback} and {@code background} modes, before anything else.</li>
	 * </ul>
	 * The default checks nothing.
	 * @param dataSource the database that would be backed up
	 * @throws BackupException when a backup could not be taken
	 */
	default void check(DataSource dataSource) {
	}

}
