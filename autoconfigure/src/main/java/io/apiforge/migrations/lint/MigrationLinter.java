package io.apiforge.migrations.lint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;

import org.springframework.util.Assert;

import io.apiforge.migrations.scripts.MigrationScripts;
import io.apiforge.migrations.scripts.Placeholders;
import io.apiforge.migrations.status.MigrationSummary;

/**
 * The migration lint: reads SQL migrations, splits them into statements, and checks each
 * against the {@link LintRule rules}, knowing which tables exist from the database's
 * catalog. It only reads the catalog; it never runs a migration.
 * <p>
 * Thread-safe and stateless: the lifecycle, the endpoint, a migration plan and a user's
 * test may share one.
 *
 * @author apiforge
 */
public class MigrationLinter {

	private static final Log logger = LogFactory.getLog(MigrationLinter.class);

	private static final String SQL_MIGRATION = "SQL";

	/**
	 * Lint the pending SQL migrations of a Flyway instance against its database.
	 * @param flyway the Flyway instance
	 * @return the report
	 * @throws IllegalStateException when the database's catalog cannot be read
	 */
	public LintReport lintPending(Flyway flyway) {
		return lintPending(flyway, ExistingTables.IN_DATABASE);
	}

	/**
	 * Lint the pending SQL migrations of a Flyway instance against its database.
	 * @param flyway the Flyway instance
	 * @param existingTables which tables count as existing
	 * @return the report
	 * @throws IllegalStateException when the database's catalog cannot be read
	 */
	public LintReport lintPending(Flyway flyway, ExistingTables existingTables) {
		List<MigrationSummary> pending = Arrays.stream(flyway.info().pending()).map(MigrationSummary::of).toList();
		return lintPending(flyway, pending, existingTables);
	}

	/**
	 * Lint the given pending migrations of a Flyway instance, without asking Flyway for
	 * them again. Migrations that are not SQL scripts (Java migrations) are left out.
	 * @param flyway the Flyway instance
	 * @param pending the pending migrations, in the order they run
	 * @param existingTables which tables count as existing
	 * @return the report
	 * @throws IllegalStateException when the database's catalog cannot be read
	 */
	public LintReport lintPending(Flyway flyway, List<MigrationSummary> pending, ExistingTables existingTables) {
		Configuration configuration = flyway.getConfiguration();
		MigrationScripts reader = new MigrationScripts(configuration.getLocations(), configuration.getClassLoader());
		Placeholders placeholders = Placeholders.of(configuration);
		List<MigrationScript> scripts = new ArrayList<>();
		for (MigrationSummary migration : pending) {
			if (!SQL_MIGRATION.equals(migration.type())) {
				continue;
			}
			String sql = reader.read(migration.script());
			if (sql == null) {
				logger.warn("Migration lint passed over " + migration.script() + ": it was not found in "
						+ Arrays.toString(configuration.getLocations()));
				continue;
			}
			scripts.add(new MigrationScript(migration.script(), placeholders.replaceKnown(sql, migration.script()),
					reader.executeInTransaction(migration.script())));
		}
		if (scripts.isEmpty()) {
			return LintReport.empty();
		}
		return lint(configuration.getDataSource(), FlywaySettings.of(configuration), scripts, existingTables);
	}

	/**
	 * Lint scripts against a database.
	 * @param dataSource the database whose catalog says which tables exist
	 * @param settings how Flyway runs the scripts
	 * @param scripts the scripts, in the order they run
	 * @param existingTables which tables count as existing
	 * @return the report
	 * @throws IllegalStateException when the database's catalog cannot be read
	 */
	public LintReport lint(DataSource dataSource, FlywaySettings settings, List<MigrationScript> scripts,
			ExistingTables existingTables) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(scripts, "'scripts' must not be null");
		Assert.notNull(existingTables, "'existingTables' must not be null");
		DatabaseCatalog catalog;
		try (Connection connection = dataSource.getConnection()) {
			catalog = DatabaseCatalog.read(connection, settings.schemas());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the database catalog to lint the migrations: " + ex.getMessage(),
					ex);
		}
		return lint(catalog, settings, scripts, existingTables);
	}

	/**
	 * Lint scripts against a catalog.
	 * @param catalog what the database holds
	 * @param settings how Flyway runs the scripts
	 * @param scripts the scripts, in the order they run
	 * @param existingTables which tables count as existing
	 * @return the report
	 */
	LintReport lint(DatabaseCatalog catalog, FlywaySettings settings, List<MigrationScript> scripts,
			ExistingTables existingTables) {
		SchemaView schema = new SchemaView(catalog);
		boolean lockTimeoutPreset = catalog.hasLockTimeout() || settings.initSqlSetsLockTimeout();
		List<List<SqlStatement>> statements = scripts.stream().map((script) -> SqlScriptSplitter.split(script.sql())).toList();
		List<ScriptExecution> executions = new ArrayList<>();
		for (int i = 0; i < scripts.size(); i++) {
			executions.add(ScriptExecution.of(statements.get(i), scripts.get(i).executeInTransaction(), settings));
		}
		boolean groupRefused = settings.group() && !settings.mixed()
				&& executions.stream().map(ScriptExecution::runsInTransaction).distinct().count() > 1;
		List<LintFinding> findings = new ArrayList<>();
		List<LintFinding> suppressed = new ArrayList<>();
		for (int i = 0; i < scripts.size(); i++) {
			ScriptContext context = new ScriptContext(scripts.get(i).name(), schema, executions.get(i), settings,
					groupRefused, lockTimeoutPreset);
			for (LintFinding finding : ScriptLinter.lint(statements.get(i), context)) {
				(finding.isSuppressed() ? suppressed : findings).add(finding);
			}
			schema.scriptEnded(existingTables);
		}
		return new LintReport(findings, suppressed, scripts.stream().map(MigrationScript::name).toList());
	}

}
