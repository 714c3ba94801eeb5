package io.apiforge.migrations.lint;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import org.springframework.util.Assert;

/**
 * Lints migrations from a test, so that a build fails on an unsafe migration before it
 * reaches production. One call returns a {@link LintReport} whose
 * {@link LintReport#findings() findings} are records AssertJ can work with:
 * <pre class="code">
 * LintReport report = MigrationLint.forDataSource(dataSource).lint("classpath:db/migration");
 * assertThat(report.findings()).isEmpty();
 * </pre>
 * The lint reads the migrations that are pending against the database and its catalog;
 * it never migrates. On an empty database nothing exists yet, so either migrate it first
 * to the version in production (with {@code target}), or lint with
 * {@link #oneReleasePerMigration()}.
 *
 * @author apiforge
 */
public final class MigrationLint {

	private final Configuration configuration;

	private final ExistingTables existingTables;

	private final MigrationLinter linter = new MigrationLinter();

	private MigrationLint(Configuration configuration, ExistingTables existingTables) {
		this.configuration = configuration;
		this.existingTables = existingTables;
	}

	/**
	 * Lint migrations against a database with Flyway's default settings.
	 * @param dataSource the database
	 * @return the lint
	 */
	public static MigrationLint forDataSource(DataSource dataSource) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		return new MigrationLint(Flyway.configure().dataSource(dataSource), ExistingTables.IN_DATABASE);
	}

	/**
	 * Lint migrations with the settings of a Flyway instance: its database, locations,
	 * placeholders, and the settings that decide how scripts run (such as
	 * {@code postgresql.transactional.lock} and {@code mixed}).
	 * @param flyway the Flyway instance
	 * @return the lint
	 */
	public static MigrationLint forFlyway(Flyway flyway) {
		Assert.notNull(flyway, "'flyway' must not be null");
		return new MigrationLint(flyway.getConfiguration(), ExistingTables.IN_DATABASE);
	}

	/**
	 * Lint as if each migration were deployed in a release of its own: the tables the
	 * migrations before it create count as existing. Lints every migration of a project
	 * against an empty database.
	 * @return a lint that does so
	 */
	public MigrationLint oneReleasePerMigration() {
		return new MigrationLint(this.configuration, ExistingTables.IN_DATABASE_OR_EARLIER_MIGRATIONS);
	}

	/**
	 * Lint the migrations that are pending against the database.
	 * @param locations Flyway locations such as {@code classpath:db/migration}; none for
	 * the configured ones (Flyway's default is {@code classpath:db/migration})
	 * @return the report
	 * @throws IllegalStateException when the database's catalog cannot be read
	 */
	public LintReport lint(String... locations) {
		FluentConfiguration configuration = Flyway.configure(this.configuration.getClassLoader())
			.configuration(this.configuration);
		if (locations.length > 0) {
			configuration.locations(locations);
		}
		return this.linter.lintPending(configuration.load(), this.existingTables);
	}

}
