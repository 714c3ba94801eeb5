package io.apiforge.migrations.backup.pgdump;

import java.util.Locale;

/**
 * How far a backup is checked before the migration may start.
 *
 * @author apiforge
 */
public enum BackupVerification {

	/**
	 * No check beyond {@code pg_dump}'s exit code and the schemas the archive's table of
	 * contents names (which are always compared).
	 */
	NONE,

	/**
	 * The archive is readable: {@code pg_restore --list} reads its table of contents
	 * (custom format), or the script ends with {@code pg_dump}'s closing line (plain).
	 */
	LIST,

	/**
	 * The backup is restored into a temporary database on the same server, and the row
	 * count of every table it should hold is compared with the source's, counted in the
	 * snapshot the dump saw. Needs a role that may create databases.
	 */
	RESTORE;

	/**
	 * Return the value as {@code migrations.backup.verify} spells it.
	 * @return the value, such as {@code restore}
	 */
	public String option() {
		return name().toLowerCase(Locale.ROOT);
	}

}
