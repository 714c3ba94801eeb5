package io.apiforge.migrations.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.actuate.endpoint.MigrationsEndpoint;
import io.apiforge.migrations.actuate.endpoint.MigrationsEndpoint.FindingDescriptor;
import io.apiforge.migrations.lint.LintFailedException;
import io.apiforge.migrations.lint.LintFinding;
import io.apiforge.migrations.lint.MigrationLinter;
import io.apiforge.migrations.lint.PendingMigrationsLint;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The lint in the start-up lifecycle: pending migrations in the sample app's style (its
 * V1 applied, its V2 and an index on the phone column pending) are linted after the
 * inspection, their findings logged, and {@code migrations.lint.fail-on} stops the run
 * before any lock, backup or migration.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class LintLifecycleIntegrationTests {

	private static final String SAMPLE = "classpath:db/lint-sample";

	@Test
	void findingsAreLoggedWithScriptLineAndRecipeAndTheMigrationGoesAheadByDefault(TestDatabase database,
			CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, SAMPLE, "1");
		MigrationsContextRunner.forDatabase(database, SAMPLE).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
				.isEqualTo(RunOutcome.MIGRATED);
			assertThat(context.getBean(PendingMigrationsLint.class).lastReport().findings())
				.extracting(LintFinding::script, LintFinding::line, LintFinding::rule)
				.containsExactly(tuple("V2__add_user_contact.sql", 4, "missing-lock-timeout"),
						tuple("V3__index_user_phone.sql", 2, "create-index-without-concurrently"),
						tuple("V3__index_user_phone.sql", 2, "missing-lock-timeout"));
		});
		assertThat(output).contains("WARN")
			.contains("Migration lint: V3__index_user_phone.sql line 2 [warning] create-index-without-concurrently: "
					+ "CREATE INDEX on existing table public.usertable without CONCURRENTLY blocks every write to it until "
					+ "the index is built. Safe way: Use CREATE INDEX CONCURRENTLY")
			.contains("If it is safe here, write on the line before it: -- migrations:allow create-index-without-concurrently <reason>")
			.contains("Migration lint: 3 findings (3 warnings) in 2 pending SQL migrations; reported only "
					+ "(migrations.lint.fail-on=none).");
	}

	@Test
	void failOnWarningStopsBeforeTheLockTheBackupAndTheMigration(TestDatabase database) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, SAMPLE, "1");
		CountingLockProvider lock = new CountingLockProvider();
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		MigrationsContextRunner.forDatabase(database, SAMPLE)
			.withPropertyValues("migrations.lint.fail-on=warning")
			.withBean(CountingLockProvider.class, () -> lock)
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(LintFailedException.class)
					.hasMessageStartingWith("Migration lint found 3 findings (3 warnings) at or above "
							+ "migrations.lint.fail-on=warning in the pending migrations, so nothing was locked, backed up or migrated:")
					.hasMessageContaining("\n  - V3__index_user_phone.sql:2 [warning] create-index-without-concurrently: ");
				FailureAnalysis analysis = new MigrationsFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).startsWith("Migration lint found 3 findings");
				assertThat(analysis.getAction()).contains("missing-lock-timeout: Start the migration with SET LOCAL lock_timeout")
					.contains("-- migrations:allow <rule-id> <reason>")
					.contains("migrations.lint.fail-on");
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(backup.requests()).isEmpty();
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL", String.class))
			.containsExactly("1");
	}

	@Test
	void failOnErrorLetsWarningsThrough(TestDatabase database) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, SAMPLE, "1");
		MigrationsContextRunner.forDatabase(database, SAMPLE)
			.withPropertyValues("migrations.lint.fail-on=error")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM pg_indexes WHERE indexname = 'usertable_phone_idx'",
				Integer.class)).isOne();
	}

	@Test
	void suppressedFindingsDoNotStopTheLifecycleAndTheirReasonIsLogged(TestDatabase database, CapturedOutput output,
			@TempDir Path migrations) throws IOException {
		Files.writeString(migrations.resolve("V1__create.sql"), "CREATE TABLE items (id int PRIMARY KEY, name text);");
		Files.writeString(migrations.resolve("V2__index.sql"), """
				SET LOCAL lock_timeout = '5s';
				-- migrations:allow create-index-without-concurrently items holds a few hundred rows
				CREATE INDEX items_name_idx ON items (name);
				""");
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "filesystem:" + migrations, "1");
		MigrationsContextRunner.forDatabase(database, "filesystem:" + migrations)
			.withPropertyValues("migrations.lint.fail-on=warning")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Migration lint: V2__index.sql line 3 allows create-index-without-concurrently: "
				+ "items holds a few hundred rows")
			.contains("Migration lint: no findings in 1 pending SQL migration (1 allowed).");
	}

	@Test
	void aTypeModifierTooLargeForTheLintStopsTheRunWithFailOnErrorBeforeTheLock(TestDatabase database,
			@TempDir Path migrations) throws IOException {
		String location = hugeVarcharMigrations(database, migrations);
		CountingLockProvider lock = new CountingLockProvider();
		MigrationsContextRunner.forDatabase(database, location)
			.withPropertyValues("migrations.lint.fail-on=error")
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(LintFailedException.class)
					.hasMessageContaining("\n  - V2__widen_sku.sql:2 [error] alter-column-type: ALTER COLUMN sku TYPE "
							+ "varchar(99999999999) on existing table public.items (from character varying(32))")
					.hasMessageContaining("(The lint cannot read the type varchar(99999999999)");
			});
		assertThat(lock.acquisitions()).isZero();
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL", String.class))
			.containsExactly("1");
		assertThat(database.jdbc()
			.queryForObject("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'items'::regclass "
					+ "AND attname = 'sku'", String.class)).isEqualTo("character varying(32)");
	}

	@Test
	void aTypeModifierTooLargeForTheLintIsLoggedAndWithFailOnNoneTheRunGoesOnToTheMigration(TestDatabase database,
			@TempDir Path migrations, CapturedOutput output) throws IOException {
		String location = hugeVarcharMigrations(database, migrations);
		CountingLockProvider lock = new CountingLockProvider();
		MigrationsContextRunner.forDatabase(database, location)
			.withBean(CountingLockProvider.class, () -> lock)
			.run((context) -> {
				// PostgreSQL itself refuses the type: the run fails in the migration, not in
				// the lint, which only logged.
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("syntax error at or near \"99999999999\"");
				assertThat(context.getStartupFailure()).cause().isNotInstanceOf(LintFailedException.class);
			});
		assertThat(output).contains("Migration lint: V2__widen_sku.sql line 2 [error] alter-column-type: ALTER COLUMN sku "
				+ "TYPE varchar(99999999999)");
		assertThat(lock.acquisitions()).isOne();
	}

	private static String hugeVarcharMigrations(TestDatabase database, Path migrations) throws IOException {
		Files.writeString(migrations.resolve("V1__create.sql"), "CREATE TABLE items (id int PRIMARY KEY, sku varchar(32));");
		Files.writeString(migrations.resolve("V2__widen_sku.sql"), """
				SET LOCAL lock_timeout = '5s';
				ALTER TABLE items ALTER COLUMN sku TYPE varchar(99999999999);
				""");
		String location = "filesystem:" + migrations;
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, location, "1");
		return location;
	}

	@Test
	void validateModeLintsAndLogsButNeverStops(TestDatabase database, CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, SAMPLE, "1");
		MigrationsContextRunner.forDatabase(database, SAMPLE)
			.withPropertyValues("migrations.mode=validate", "migrations.lint.fail-on=warning")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Migration lint: V2__add_user_contact.sql line 4 [warning] missing-lock-timeout");
	}

	@Test
	void theLintCanBeSwitchedOffAndTheLinterReplaced(TestDatabase database, CapturedOutput output) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, SAMPLE, "1");
		MigrationLinter mine = new MigrationLinter();
		MigrationsContextRunner.forDatabase(database, SAMPLE)
			.withPropertyValues("migrations.lint.enabled=false", "migrations.lint.fail-on=warning")
			.withBean(MigrationLinter.class, () -> mine)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(PendingMigrationsLint.class);
				assertThat(context.getBean(MigrationLinter.class)).isSameAs(mine);
			});
		assertThat(output).doesNotContain("Migration lint");
	}

	@Test
	void theEndpointShowsTheFindingsOfPendingMigrations(TestDatabase database) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, SAMPLE, "1");
		MigrationsContextRunner.forDatabase(database, SAMPLE)
			.withConfiguration(AutoConfigurations.of(MigrationsEndpointAutoConfiguration.class))
			.withPropertyValues("migrations.mode=validate", "management.endpoints.web.exposure.include=migrations",
					"management.endpoint.migrations.show-sql=always")
			.run((context) -> {
				MigrationsEndpoint.LintDescriptor lint = context.getBean(MigrationsEndpoint.class)
					.migrations(SecurityContext.NONE)
					.lint();
				assertThat(lint.failOn()).isEqualTo("none");
				assertThat(lint.findings()).extracting(FindingDescriptor::script, FindingDescriptor::line,
						FindingDescriptor::rule, FindingDescriptor::severity)
					.containsExactly(tuple("V2__add_user_contact.sql", 4, "missing-lock-timeout", "warning"),
							tuple("V3__index_user_phone.sql", 2, "create-index-without-concurrently", "warning"),
							tuple("V3__index_user_phone.sql", 2, "missing-lock-timeout", "warning"));
				assertThat(lint.findings().get(1).statement())
					.isEqualTo("CREATE INDEX usertable_phone_idx ON usertable (phone)");
				assertThat(lint.suppressed()).isEmpty();
			});
	}

}
