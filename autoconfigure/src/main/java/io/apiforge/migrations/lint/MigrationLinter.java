package io.apiforge.migrations.lint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

	static final String SQL_MIGRATION = "SQL";

	private final ScriptLinter.StatementCheck rules;

	/**
	 * Create a linter with the {@link LintRule rules}.
	 */
	public MigrationLinter() {
		this(StatementRules::check);
	}

	/**
	 * Create a linter that applies other rules, for tests of what happens when the lint
	 * itself fails.
	 * @param rules what the rules object to in one statement
	 */
	MigrationLinter(ScriptLinter.StatementCheck rules) {
		this.rules = rules;
	}

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
	 * them again. Migrations that are not SQL scripts (Java migrations) are left out. A
	 * SQL script the lint cannot read is a {@code lint-error} finding: Flyway will run
	 * it, and nothing checked it.
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
		List<String> names = new ArrayList<>();
		List<MigrationScript> scripts = new ArrayList<>();
		List<LintFinding> unread = new ArrayList<>();
		for (MigrationSummary migration : pending) {
			if (!SQL_MIGRATION.equals(migration.type())) {
				continue;
			}
			names.add(migration.script());
			try {
				String sql = reader.read(migration.script());
				if (sql == null) {
					unread.add(scriptError(migration.script(), "The lint could not find " + migration.script() + " in "
							+ Arrays.toString(configuration.getLocations())
							+ " (it reads classpath: and filesystem: locations), so it did not check it."));
					continue;
				}
				scripts.add(new MigrationScript(migration.script(), placeholders.replaceKnown(sql, migration.script()),
						reader.executeInTransaction(migration.script())));
			}
			catch (RuntimeException ex) {
				logger.debug("The lint could not read " + migration.script(), ex);
				unread.add(scriptError(migration.script(), "The lint could not read " + migration.script() + " ("
						+ ScriptLinter.describe(ex) + "), so it did not check it."));
			}
		}
		LintReport report = scripts.isEmpty() ? LintReport.empty()
				: lint(configuration.getDataSource(), FlywaySettings.of(configuration), scripts, existingTables);
		if (unread.isEmpty()) {
			return report;
		}
		List<LintFinding> findings = new ArrayList<>(unread);
		findings.addAll(report.findings());
		findings.sort(Comparator.comparingInt((finding) -> names.indexOf(finding.script())));
		return new LintReport(findings, report.suppressed(), names);
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
		List<List<SqlStatement>> statements = new ArrayList<>();
		List<ScriptExecution> executions = new ArrayList<>();
		Map<String, LintFinding> unsplit = new HashMap<>();
		for (MigrationScript script : scripts) {
			try {
				List<SqlStatement> split = SqlScriptSplitter.split(script.sql());
				executions.add(ScriptExecution.of(split, script.executeInTransaction(), settings));
				statements.add(split);
			}
			catch (RuntimeException ex) {
				// The splitter is built never to fail; if it does, this script is not
				// linted, and says so, while the others still are.
				logger.debug("The lint could not split " + script.name() + " into statements", ex);
				unsplit.put(script.name(), scriptError(script.name(), "The lint could not split " + script.name()
						+ " into statements (" + ScriptLinter.describe(ex) + "), so it did not check it."));
				executions.add(ScriptExecution.of(List.of(), script.executeInTransaction(), settings));
				statements.add(List.of());
			}
		}
		boolean groupRefused = settings.group() && !settings.mixed()
				&& executions.stream().map(ScriptExecution::runsInTransaction).distinct().count() > 1;
		List<LintFinding> findings = new ArrayList<>();
		List<LintFinding> suppressed = new ArrayList<>();
		for (int i = 0; i < scripts.size(); i++) {
			LintFinding notSplit = unsplit.get(scripts.get(i).name());
			if (notSplit != null) {
				findings.add(notSplit);
			}
			ScriptContext context = new ScriptContext(scripts.get(i).name(), schema, executions.get(i), settings,
					groupRefused, lockTimeoutPreset);
			for (LintFinding finding : ScriptLinter.lint(statements.get(i), context, this.rules)) {
				(finding.isSuppressed() ? suppressed : findings).add(finding);
			}
			schema.scriptEnded(existingTables);
		}
		return new LintReport(findings, suppressed, scripts.stream().map(MigrationScript::name).toList());
	}

	/**
	 * A {@code lint-error} about a whole script, which no comment can suppress (there is
	 * no statement to put it before), reported on its first line.
	 */
	private static LintFinding scriptError(String script, String message) {
		LintRule rule = LintRule.LINT_ERROR;
		return new LintFinding(rule.id(), rule.severity(), script, 1, message, rule.recipe(), "", null);
	}

}
