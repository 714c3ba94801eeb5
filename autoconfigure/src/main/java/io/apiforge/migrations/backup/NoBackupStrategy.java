package io.apiforge.migrations.backup;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@code none} strategy: takes no backup, and says so in the log every time
 * migrations run without one.
 *
 * @author apiforge
 */
public final class NoBackupStrategy implements BackupStrategy {

	/** The name of this strategy in {@code migrations.backup.strategy}. */
	public static final String NAME = "none";

	private static final Log logger = LogFactory.getLog(NoBackupStrategy.class);

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String describe() {
		return "none (migrations.backup.strategy=none): no backup is taken";
	}

	@Override
	public @Nullable BackupRecord backup(BackupRequest request) {
		logger.info("No backup taken before migrating to version " + request.toVersion()
				+ " (migrations.backup.strategy=none)");
		return null;
	}

}
