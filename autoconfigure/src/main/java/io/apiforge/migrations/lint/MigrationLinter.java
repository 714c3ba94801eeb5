package io.apiforge.migrations.lint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

import io.apiforge.migrations.status.MigrationSummary;

/**
 * The migration lint: reads SQL migrations, splits them into statements, and checks each
 * against the {@link LintRule rules}, knowing which tables exist from the database's
 * catalog. It only reads the catalog; it never runs a migration.
 * <p>
 * It reads the catalog once per lint, and the scripts one at a time, each no further
 * than a bound: a larger script is a {@link LintRule#SCRIPT_TOO_LARGE script-too-large}
 * finding, never loaded whole.
 * <p>
 * Thread-safe and stateless: the lifecycle, the endpoint, a migration plan and a user's
 * test may share one.
 *
 * @author apiforge
 */
public class MigrationLinter {

	private static final Log logger = LogFactory.getLog(MigrationLinter.class);

	static final String SQL_MIGRATION = "SQL";

	/** The default of {@code migrations.lint.max-script-size}. */
	public static final DataSize DEFAULT_MAX_SCRIPT_SIZE = DataSize.ofMegabytes(10);

	private final ScriptLinter.StatementCheck rules;

	private final DataSize maxScriptSize;

	/**
	 * Create a linter with the {@link LintRule rules}, which reads scripts up to
	 * {@link #DEFAULT_MAX_SCRIPT_SIZE}.
	 */
	public MigrationLinter() {
		this(DEFAULT_MAX_SCRIPT_SIZE);
	}

	/**
	 * Create a linter with the {@link LintRule rules}.
	 * @param maxScriptSize the largest script it reads; a larger one is a
	 * {@link LintRule#SCRIPT_TOO_LARGE script-too-large} finding
	 */
	public MigrationLinter(DataSize maxScriptSize) {
		this(StatementRules::check, maxScriptSize);
	}

	/**
	 * Create a linter that applies other rules, for tests of what happens when the lint
	 * itself fails.
	 * @param rules what the rules object to in one statement
	 */
	MigrationLinter(ScriptLinter.StatementCheck rules) {
		this(rules, DEFAULT_MAX_SCRIPT_SIZE);
	}

	MigrationLinter(ScriptLinter.StatementCheck rules, DataSize maxScriptSize) {
		Assert.notNull(maxScriptSize, "'maxScriptSize' must not be null");
		Assert.isTrue(!maxScriptSize.isNegative(), "'maxScriptSize' must not be negative");
		this.rules = rules;
		this.maxScriptSize = maxScriptSize;
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
		List<String> names = pending.stream()
			.filter((migration) -> SQL_MIGRATION.equals(migration.type()))
			.map(MigrationSummary::script)
			.toList();
		FlywaySettings settings = FlywaySettings.of(configuration);
		return lint(() -> readCatalog(configuration.getDataSource(), settings), settings, names,
				new PendingScripts(configuration, this.maxScriptSize), existingTables);
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
		return lint(readCatalog(dataSource, settings), settings, scripts, existingTables);
	}

	private static DatabaseCatalog readCatalog(DataSource dataSource, FlywaySettings settings) {
		try (Connection connection = dataSource.getConnection()) {
			return DatabaseCatalog.read(connection, settings.schemas());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the database catalog to lint the migrations: " + ex.getMessage(),
					ex);
		}
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
		Map<String, MigrationScript> byName = new HashMap<>();
		scripts.forEach((script) -> byName.putIfAbsent(script.name(), script));
		return lint(() -> catalog, settings, scripts.stream().map(MigrationScript::name).toList(),
				(name) -> new Loaded(byName.get(name), null), existingTables);
	}

	/**
	 * Lint scripts one at a time, as the source reads them: only the findings are kept,
	 * never every script's text or statements at once. The catalog is read once, before
	 * the first script that can be linted.
	 */
	private LintReport lint(Supplier<DatabaseCatalog> catalog, FlywaySettings settings, List<String> names,
			ScriptSource source, ExistingTables existingTables) {
		// Flyway refuses a group that mixes transactional and non-transactional scripts:
		// telling it takes how every script runs before the first is linted, so with
		// group (and not mixed) the scripts are read twice, one at a time each time.
		boolean groupRefused = settings.group() && !settings.mixed() && mixesTransactions(settings, names, source);
		List<LintFinding> findings = new ArrayList<>();
		List<LintFinding> suppressed = new ArrayList<>();
		SchemaView schema = null;
		boolean lockTimeoutPreset = false;
		for (String name : names) {
			Loaded loaded = source.load(name);
			LintFinding aboutScript = loaded.finding();
			if (aboutScript != null) {
				(aboutScript.isSuppressed() ? suppressed : findings).add(aboutScript);
			}
			MigrationScript script = loaded.script();
			if (script == null) {
				continue;
			}
			if (schema == null) {
				DatabaseCatalog read = catalog.get();
				schema = new SchemaView(read);
				lockTimeoutPreset = read.hasLockTimeout() || settings.initSqlSetsLockTimeout();
			}
			List<SqlStatement> statements;
			try {
				statements = SqlScriptSplitter.split(script.sql());
			}
			catch (RuntimeException ex) {
				// The splitter is built never to fail; if it does, this script is not
				// linted, and says so, while the others still are.
				logger.debug("The lint could not split " + script.name() + " into statements", ex);
				findings.add(scriptError(script.name(), "The lint could not split " + script.name()
						+ " into statements (" + ScriptLinter.describe(ex) + "), so it did not check it."));
				statements = List.of();
			}
			ScriptContext context = new ScriptContext(script.name(), schema,
					ScriptExecution.of(statements, script.executeInTransaction(), settings), settings, groupRefused,
					lockTimeoutPreset);
			for (LintFinding finding : ScriptLinter.lint(statements, context, this.rules)) {
				(finding.isSuppressed() ? suppressed : findings).add(finding);
			}
			schema.scriptEnded(existingTables);
		}
		return new LintReport(findings, suppressed, names);
	}

	private static boolean mixesTransactions(FlywaySettings settings, List<String> names, ScriptSource source) {
		Set<Boolean> inTransaction = new HashSet<>();
		for (String name : names) {
			MigrationScript script = source.load(name).script();
			if (script == null) {
				continue;
			}
			List<SqlStatement> statements;
			try {
				statements = SqlScriptSplitter.split(script.sql());
			}
			catch (RuntimeException ex) {
				statements = List.of();
			}
			inTransaction.add(ScriptExecution.of(statements, script.executeInTransaction(), settings).runsInTransaction());
		}
		return inTransaction.size() > 1;
	}

	/**
	 * A {@code lint-error} about a whole script, which no comment can suppress (there is
	 * no statement to put it before), reported on its first line.
	 */
	static LintFinding scriptError(String script, String message) {
		LintRule rule = LintRule.LINT_ERROR;
		return new LintFinding(rule.id(), rule.severity(), script, 1, message, rule.recipe(), "", null);
	}

	/**
	 * Reads the scripts to lint, one at a time.
	 */
	@FunctionalInterface
	interface ScriptSource {

		/**
		 * Read a script.
		 * @param name its name
		 * @return the script, or a finding about it, or both
		 */
		Loaded load(String name);

	}

	/**
	 * A script as its source read it.
	 *
	 * @param script the script to lint, or {@code null} when it could not be read
	 * @param finding a finding about the whole script (it could not be read, it is too
	 * large), or {@code null}
	 */
	record Loaded(@Nullable MigrationScript script, @Nullable LintFinding finding) {

		static Loaded unread(String script, String message) {
			return new Loaded(null, scriptError(script, message));
		}

	}

}
