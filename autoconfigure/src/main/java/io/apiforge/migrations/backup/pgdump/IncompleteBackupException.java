package io.apiforge.migrations.backup.pgdump;

import io.apiforge.migrations.backup.BackupException;

/**
 * A dump completed, but its table of contents does not hold the schemas it should: a
 * schema asked for is missing (or one not asked for is there). The dump is discarded and
 * no migration runs.
 *
 * @author apiforge
 */
public class IncompleteBackupException extends BackupException {

	/**
	 * Create a new exception.
	 * @param message which schemas are missing or extra
	 * @param action what to do about it
	 */
	public IncompleteBackupException(String message, String action) {
		super(message, action, null);
	}

}
