package io.apiforge.migrations.backup;

import java.util.List;

/**
 * Lists the backups that exist, for operators: the built-in one reads the backup
 * directory; without one, the endpoint shows the last backup this application took.
 *
 * @author apiforge
 */
@FunctionalInterface
public interface BackupCatalog {

	/**
	 * List the backups, latest first.
	 * @return the backups; empty when there are none or they cannot be read
	 */
	List<BackupRecord> list();

}
