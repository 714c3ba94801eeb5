package io.apiforge.migrations.backup.pgdump;

import io.apiforge.migrations.backup.BackupException;

/**
 * A dump completed, but restoring it into a temporary database
 * ({@code migrations.backup.verify=restore}) failed, or the restored tables do not hold
 * the rows the source held in the dump's snapshot. The dump is discarded and no
 * migration runs.
 *
 * @author apiforge
 */
public class RestoreVerificationException extends BackupException {

	/**
	 * Create a new exception.
	 * @param message what failed: the restore's error, or which tables differ, with the
	 * rows expected and found
	 * @param action what to do about it
	 */
	public RestoreVerificationException(String message, String action) {
		super(message, action, null);
	}

}
