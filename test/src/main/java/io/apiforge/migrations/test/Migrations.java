package io.apiforge.migrations.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.fingerprint.FingerprintDifference;
import io.apiforge.migrations.fingerprint.SchemaFingerprint;
import io.apiforge.migrations.lint.LintFailOn;
import io.apiforge.migrations.lint.LintFinding;
import io.apiforge.migrations.lint.LintReport;
import io.apiforge.migrations.lint.LintSeverity;
import io.apiforge.migrations.lint.MigrationLint;
import io.apiforge.migrations.rollback.RollbackPlan;
import io.apiforge.migrations.rollback.RollbackPlanner;
import io.apiforge.migrations.rollback.RollbackStep;
import io.apiforge.migrations.rollback.UndoStepExecutor;

/**
 * One test's database, and what a test does with its migrations: migrate up
 * ({@link #migrateTo(String)}, {@link #migrate()}), undo ({@link #rollbackTo(String)}),
 * seed ({@link #sql(String...)}), read the schema ({@link #fingerprint()}), and assert
 * ({@link #assertRoundTrip()}, {@link #assertLint(LintSeverity)},
 * {@link #assertNoDrift()}).
 * <p>
 * The database is created on first use: a clone of the test class's template, which
 * {@link MigrationsExtension} migrated once. When the first thing a test does is
 * {@code migrateTo} a version below the template's, the database starts empty instead
 * and is migrated to that version. It is dropped when the test ends.
 * {@link #dataSource()} and {@link #jdbcUrl()} point an application or a
 * {@code JdbcTemplate} at it.
 *
 * @author apiforge
 */
public final class Migrations implements AutoCloseable {

	private final TemplateDatabase template;

	private @Nullable String database;

	Migrations(TemplateDatabase template) {
		this.template = template;
	}

	/**
	 * Migrate to the latest version, like an application at start-up.
	 * @return this handle
	 */
	public Migrations migrate() {
		flyway(database(null), null).migrate();
		return this;
	}

	/**
	 * Migrate up to a version. As the first call of a test, below the template's version,
	 * it starts from an empty database; later, it only goes up.
	 * @param version the version, such as {@code 2} or {@code 1.1}
	 * @return this handle
	 * @throws IllegalStateException when the database is above that version already
	 */
	public Migrations migrateTo(String version) {
		Assert.hasText(version, "'version' must not be empty");
		MigrationVersion target = MigrationVersion.fromVersion(version.replace('_', '.'));
		String name = database(target);
		MigrationVersion current = MigrationsSetup.currentVersion(flyway(name, null));
		if (current != null && current.compareTo(target) > 0) {
			throw new IllegalStateException("Cannot migrate " + name + " to version " + version + ": it is at version "
					+ current + " already, and a migration only goes up. Call migrateTo(\"" + version
					+ "\") first in the test, before anything else uses the database (it then starts from an empty "
					+ "one), or rollbackTo(\"" + version + "\") to run the undo scripts down to it.");
		}
		flyway(name, target.getVersion()).migrate();
		return this;
	}

	/**
	 * Undo every applied version above a version with the undo scripts
	 * ({@code U<version>__<description>.sql}) or undoable Java migrations, newest first,
	 * each with the removal of its history row, the way the starter's rollback does.
	 * @param version an applied version, or {@code base} to undo them all
	 * @return this handle
	 * @throws IllegalStateException when the rollback is refused (listing why: a version
	 * without an undo, a target not applied, …) or an undo fails (naming the script and
	 * line)
	 */
	public Migrations rollbackTo(String version) {
		Assert.hasText(version, "'version' must not be empty");
		Flyway flyway = flyway(database(null), null);
		RollbackPlan plan = new RollbackPlanner(setup().undoPrefix(), true).plan(flyway, version);
		if (!plan.isPossible()) {
			throw new IllegalStateException(
					"Rollback of " + this.database + " to " + version + " refused: " + String.join(" ", plan.problems()));
		}
		UndoStepExecutor executor = new UndoStepExecutor();
		for (RollbackStep step : plan.steps()) {
			try {
				executor.undo(flyway.getConfiguration(), step);
			}
			catch (MigrationsException ex) {
				throw new IllegalStateException(ex.getMessage() + " " + ex.getAction(), ex);
			}
		}
		return this;
	}

	/**
	 * Run SQL, such as seed data, in one transaction: every statement, or none.
	 * @param statements the statements, each of which may hold several separated by
	 * {@code ;}
	 * @return this handle
	 * @throws IllegalStateException when a statement fails, naming it
	 */
	public Migrations sql(String... statements) {
		String name = database(null);
		try (Connection connection = dataSource().getConnection()) {
			connection.setAutoCommit(false);
			for (String sql : statements) {
				try (Statement statement = connection.createStatement()) {
					statement.execute(sql);
				}
				catch (SQLException ex) {
					connection.rollback();
					throw new IllegalStateException("SQL on " + name + " failed, nothing of this sql(…) call was kept: "
							+ ex.getMessage() + "\nStatement: " + sql, ex);
				}
			}
			connection.commit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run SQL on " + name + ": " + ex.getMessage(), ex);
		}
		return this;
	}

	/**
	 * Return the version the database is at.
	 * @return such as {@code 2}, or {@code null} when no version is applied
	 */
	public @Nullable String version() {
		MigrationVersion current = MigrationsSetup.currentVersion(flyway(database(null), null));
		return (current != null) ? current.getVersion() : null;
	}

	/**
	 * Read the fingerprint of the schemas the migrations manage (Flyway's default schema
	 * and {@code schemas}; the connection's current one when none is set), without the
	 * history table.
	 * @return the fingerprint
	 */
	public SchemaFingerprint fingerprint() {
		return fingerprint(database(null));
	}

	/**
	 * Assert that every version with an undo round-trips: migrated to it, undone, the
	 * schema is the previous version's; migrated again, it is the version's own. Runs on a
	 * database of its own, from empty, so the test's database is left as it is.
	 * @return the versions that round-tripped
	 * @throws AssertionFailedError at the first version that does not, naming the version,
	 * the step (undo or redo), and each object that differs
	 */
	public List<String> assertRoundTrip() {
		return new RoundTrip(this.template).check();
	}

	/**
	 * Assert that the lint finds nothing at or above a severity in any migration, each
	 * linted as if it were deployed in a release of its own (the tables the migrations
	 * before it create count as existing). Runs on an empty database of its own.
	 * @param failOn the lowest severity that fails: {@link LintSeverity#WARNING} for
	 * every finding, {@link LintSeverity#ERROR} for errors only
	 * @return the report, for more precise assertions
	 * @throws AssertionFailedError listing each finding with its script, line, rule and
	 * the safe way to write it
	 */
	public LintReport assertLint(LintSeverity failOn) {
		Assert.notNull(failOn, "'failOn' must not be null");
		PostgresServer server = this.template.server();
		String scratch = this.template.createEmpty();
		LintReport report;
		try {
			Flyway flyway = setup().flyway(Databases.dataSource(server, scratch), null);
			report = MigrationLint.forFlyway(flyway).oneReleasePerMigration().lint();
		}
		finally {
			Databases.drop(server, scratch);
		}
		List<LintFinding> failing = report.reaching(LintFailOn.valueOf(failOn.name()));
		if (!failing.isEmpty()) {
			StringBuilder message = new StringBuilder("Migration lint found ").append(failing.size())
				.append((failing.size() == 1) ? " finding" : " findings")
				.append(" at or above ")
				.append(failOn.id())
				.append(" in ")
				.append(setup().describeLocations())
				.append(" (each migration linted as a release of its own):");
			Map<String, String> recipes = new LinkedHashMap<>();
			for (LintFinding finding : failing) {
				message.append("\n  - ").append(finding);
				recipes.putIfAbsent(finding.rule(), finding.recipe());
			}
			message.append("\nSafe ways:");
			recipes.forEach((rule, recipe) -> message.append("\n  - ").append(rule).append(": ").append(recipe));
			message.append("\nWhere a statement is safe for your data, allow it with a comment on the line before it: "
					+ "-- migrations:allow <rule-id> <reason>. Every rule is explained in docs/lint.md.");
			throw new AssertionFailedError(message.toString());
		}
		return report;
	}

	/**
	 * Assert that the schema is the one the migrations make at its version: compared
	 * with a fresh database migrated to the same version (a clone of the template when it
	 * is at that version). Catches a change made by hand, by seed data or by the
	 * application that no migration makes.
	 * @throws AssertionFailedError listing each object added, removed or changed
	 */
	public void assertNoDrift() {
		String name = database(null);
		String version = version();
		SchemaFingerprint live = fingerprint(name);
		MigrationVersion templateVersion = this.template.version();
		boolean sameAsTemplate = Objects.equals((templateVersion != null) ? templateVersion.getVersion() : null, version);
		String reference = sameAsTemplate ? this.template.createClone() : this.template.createEmpty();
		SchemaFingerprint expected;
		try {
			if (!sameAsTemplate && version != null) {
				flyway(reference, version).migrate();
			}
			expected = fingerprint(reference);
		}
		finally {
			Databases.drop(this.template.server(), reference);
		}
		FingerprintDifference difference = FingerprintDifference.compare(expected, live);
		if (!difference.isEmpty()) {
			String at = (version != null) ? "version " + version : "no version";
			throw new AssertionFailedError("Schema drift in " + name + ": at " + at
					+ " its schema is not what the migrations in " + setup().describeLocations() + " make at " + at
					+ ":\n  " + difference.describe().replace("\n", "\n  ")
					+ "\n(stored: what the migrations make; live: this database.) A change made by hand, by seed data "
					+ "or by the application is in no migration: write it as a new migration, or leave it out.",
					expected.toJson(), live.toJson());
		}
	}

	/**
	 * Return a data source on this test's database: a new connection each time, no pool.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return Databases.dataSource(this.template.server(), database(null));
	}

	/**
	 * Return the JDBC URL of this test's database, for {@code spring.datasource.url}.
	 * @return the URL
	 */
	public String jdbcUrl() {
		return this.template.server().jdbcUrl(database(null));
	}

	/**
	 * Return the user to connect as, for {@code spring.datasource.username}.
	 * @return the user
	 */
	public String username() {
		return this.template.server().adminUser();
	}

	/**
	 * Return the password to connect with, for {@code spring.datasource.password}.
	 * @return the password, empty when none is needed
	 */
	public String password() {
		String password = this.template.server().adminPassword();
		return (password != null) ? password : "";
	}

	/**
	 * Return the name of this test's database.
	 * @return the name
	 */
	public String databaseName() {
		return database(null);
	}

	/**
	 * Return a Flyway on this test's database, configured as the extension is, for what
	 * this handle does not do.
	 * @return Flyway
	 */
	public Flyway flyway() {
		return flyway(database(null), null);
	}

	/**
	 * Drop the database, when one was created. The extension calls it when the test (or,
	 * for a handle shared by a class, the class) ends.
	 */
	@Override
	public void close() {
		String name = this.database;
		if (name != null) {
			this.database = null;
			Databases.drop(this.template.server(), name);
		}
	}

	@Override
	public String toString() {
		return ((this.database != null) ? this.database : "(no database yet)") + " on "
				+ this.template.server().description();
	}

	/**
	 * Return the database, creating it on first use: a clone of the template, or an
	 * empty database when the first thing asked for is a version below the template's.
	 */
	private String database(@Nullable MigrationVersion target) {
		String name = this.database;
		if (name == null) {
			MigrationVersion templateVersion = this.template.version();
			boolean below = target != null && templateVersion != null && target.compareTo(templateVersion) < 0;
			name = below ? this.template.createEmpty() : this.template.createClone();
			this.database = name;
		}
		return name;
	}

	TemplateDatabase template() {
		return this.template;
	}

	private MigrationsSetup setup() {
		return this.template.setup();
	}

	private Flyway flyway(String name, @Nullable String target) {
		return setup().flyway(Databases.dataSource(this.template.server(), name), target);
	}

	private SchemaFingerprint fingerprint(String name) {
		return setup().fingerprint(Databases.dataSource(this.template.server(), name));
	}

}
