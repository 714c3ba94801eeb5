package io.apiforge.migrations.lint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The start-up lint fails closed: when the lint itself fails (on one statement, or as a
 * whole because the catalog cannot be read), {@code migrations.lint.fail-on} other than
 * {@code none} stops the run before the lock with a {@link LintFailedException} that
 * names the script, the statement and what to do; {@code none} logs one warning and
 * migrates. The sample app's V1 is applied, its V2 and V3 pending.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class LintFailsClosedIntegrationTests {

	private static final String SAMPLE = "classpath:db/lint-sample";

	private TestDatabase database;

	@BeforeEach
	void applyTheFirstMigration(TestDatabase database) {
		this.database = database;
		Flyway.configure().dataSource(database.dataSource()).locations(SAMPLE).target("1").load().migrate();
	}

	@Test
	void aStatementTheLintFailsOnStopsTheRunWhenFailOnIsSet() {
		CountingLockProvider lock = new CountingLockProvider();
		MigrationsContextRunner.forDatabase(this.database, SAMPLE)
			.withPropertyValues("migrations.lint.fail-on=error")
			.withBean(MigrationLinter.class, () -> new MigrationLinter(MigrationLinterTests.failingOn("phone_idx")))
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(LintFailedException.class)
					.hasMessageStartingWith("Migration lint found 1 finding (1 error) at or above migrations.lint.fail-on=error")
					.hasMessageContaining("\n  - V3__index_user_phone.sql:2 [error] lint-error: The lint failed on this "
							+ "statement (IllegalStateException: a bug of the lint), so it did not check it: "
							+ "CREATE INDEX usertable_phone_idx ON usertable (phone)")
					.hasMessageEndingWith("One of them is a lint-error: the lint itself failed, so it could not check the statement.");
				LintFailedException failure = (LintFailedException) context.getStartupFailure().getCause();
				assertThat(failure.getAction()).contains("lint-error: Report it")
					.contains("-- migrations:allow lint-error <reason>")
					.contains("migrations.lint.fail-on=none")
					.contains("migrations.lint.enabled=false");
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(appliedVersions()).containsExactly("1");
	}

	@Test
	void withFailOnNoneAStatementTheLintFailsOnIsOneWarningAndTheOtherScriptsAreStillLinted(CapturedOutput output) {
		MigrationsContextRunner.forDatabase(this.database, SAMPLE)
			.withBean(MigrationLinter.class, () -> new MigrationLinter(MigrationLinterTests.failingOn("phone_idx")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
					.isEqualTo(RunOutcome.MIGRATED);
				assertThat(context.getBean(PendingMigrationsLint.class).lastReport().findings())
					.extracting(LintFinding::script, LintFinding::rule)
					.containsExactly(tuple("V2__add_user_contact.sql", "missing-lock-timeout"),
							tuple("V3__index_user_phone.sql", "lint-error"));
			});
		assertThat(output).contains("WARN")
			.contains("Migration lint: V3__index_user_phone.sql line 2 [error] lint-error: The lint failed on this statement "
					+ "(IllegalStateException: a bug of the lint), so it did not check it: "
					+ "CREATE INDEX usertable_phone_idx ON usertable (phone)");
		assertThat(appliedVersions()).containsExactly("1", "2", "3");
	}

	@Test
	void aLintThatCannotReadTheCatalogStopsTheRunWhenFailOnIsSet() {
		CountingLockProvider lock = new CountingLockProvider();
		MigrationsContextRunner.forDatabase(this.database, SAMPLE)
			.withPropertyValues("migrations.lint.fail-on=warning")
			.withBean(MigrationLinter.class, CatalogRefusingLinter::new)
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(LintFailedException.class)
					.hasMessage("Migration lint could not run (IllegalStateException: Could not read the database catalog "
							+ "to lint the migrations: permission denied for table pg_proc), so the pending migrations "
							+ "[V2__add_user_contact.sql, V3__index_user_phone.sql] are not checked, and with "
							+ "migrations.lint.fail-on=warning nothing was locked, backed up or migrated.");
				LintFailedException failure = (LintFailedException) context.getStartupFailure().getCause();
				assertThat(failure.getFindings()).isEmpty();
				assertThat(failure.getAction()).contains("report it")
					.contains("migrations.lint.fail-on=none")
					.contains("migrations.lint.enabled=false");
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(appliedVersions()).containsExactly("1");
	}

	@Test
	void withFailOnNoneALintThatCannotReadTheCatalogIsOneWarningAndTheRunGoesOn(CapturedOutput output) {
		MigrationsContextRunner.forDatabase(this.database, SAMPLE)
			.withBean(MigrationLinter.class, CatalogRefusingLinter::new)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("WARN")
			.contains("Migration lint could not run, so [V2__add_user_contact.sql, V3__index_user_phone.sql] are not "
					+ "checked: IllegalStateException: Could not read the database catalog to lint the migrations: "
					+ "permission denied for table pg_proc. Going on without it (migrations.lint.fail-on=none)");
		assertThat(appliedVersions()).containsExactly("1", "2", "3");
	}

	private List<String> appliedVersions() {
		return this.database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL AND success ORDER BY installed_rank",
					String.class);
	}

	/**
	 * A linter whose catalog queries fail, as they do for a role that may not read
	 * {@code pg_proc}: the real linter, given a data source that refuses connections
	 * (the scripts it reads from their locations as always).
	 */
	static class CatalogRefusingLinter extends MigrationLinter {

		@Override
		public LintReport lintPending(Flyway flyway, List<MigrationSummary> pending, ExistingTables existingTables) {
			DataSource refusing = new DelegatingDataSource(flyway.getConfiguration().getDataSource()) {

				@Override
				public Connection getConnection() throws SQLException {
					throw new SQLException("permission denied for table pg_proc");
				}

			};
			Flyway refused = Flyway.configure(flyway.getConfiguration().getClassLoader())
				.configuration(flyway.getConfiguration())
				.dataSource(refusing)
				.load();
			return super.lintPending(refused, pending, existingTables);
		}

	}

}
