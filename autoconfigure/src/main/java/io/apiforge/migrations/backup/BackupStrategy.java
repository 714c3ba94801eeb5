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
	 * Check at start-up, whatever is pending, that this strategy can back up this
	 * database (its tools are there and fit the server), so that a missing tool shows on
	 * the first deployment, not inside the lock of a later one. The default checks
	 * nothing.
	 * @param dataSource the database that would be backed up
	 * @throws BackupException when a backup could not be taken
	 */
	default void check(DataSource dataSource) {
	}

}
