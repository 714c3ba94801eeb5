package io.apiforge.migrations.operations;

import java.sql.SQLException;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;

import io.apiforge.migrations.backup.DatabaseContents;
import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * The automatic lint before a run (start-up, an operator's migrate, each tenant's run):
 * skipped, with one log line saying why, when the schemas Flyway manages are empty, as
 * the backup is. With no schema history table and no table there, no running version
 * reads the schema and no table is busy, so the lint would protect nothing and costs
 * reading every pending script. The explicit lints (the test kit's, a plan, contract
 * migrations) do not go through this class and always lint.
 * <p>
 * When it cannot tell whether the database is empty, it lints: the lint fails closed.
 *
 * @author apiforge
 */
final class LintUnlessEmptyDatabase implements PendingMigrationsCheck {

	private static final Log logger = LogFactory.getLog(LintUnlessEmptyDatabase.class);

	private final PendingMigrationsCheck lint;

	/**
	 * Skip a lint on an empty database.
	 * @param lint the lint
	 */
	LintUnlessEmptyDatabase(PendingMigrationsCheck lint) {
		this.lint = lint;
	}

	@Override
	public void check(Flyway flyway, List<MigrationSummary> pending, boolean enforce) {
		Configuration configuration = flyway.getConfiguration();
		List<String> schemas = SchemaHistory.schemasOf(configuration);
		if (isEmpty(configuration, schemas)) {
			logger.info("Migration lint skipped: the database is empty (no schema history table, no table in "
					+ DatabaseContents.describe(schemas)
					+ "), so no running version or busy table can be affected by the " + pending.size()
					+ " pending migration(s); lint the scripts in CI (MigrationLint, or the test kit's assertLint) to check them.");
			return;
		}
		this.lint.check(flyway, pending, enforce);
	}

	private static boolean isEmpty(Configuration configuration, List<String> schemas) {
		try {
			return DatabaseContents.isEmpty(configuration.getDataSource(), schemas);
		}
		catch (SQLException ex) {
			logger.debug("Could not tell whether the database is empty; linting the pending migrations", ex);
			return false;
		}
	}

}
