package io.apiforge.migrations.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The API a user's test calls, over a corpus of realistic migrations (functions with
 * dollar-quoted bodies, a {@code DO} block, {@code COPY … FROM stdin} data, comments,
 * {@code E''} strings, a repeatable view) that raises exactly the expected findings, and
 * that PostgreSQL then applies as written.
 */
@WithPostgres
class MigrationLintTests {

	private static final String CORPUS = "classpath:db/lint-corpus";

	@Test
	void theCorpusRaisesExactlyTheExpectedFindingsThenMigrates(TestDatabase database) {
		Flyway flyway = flyway(database).load();
		flyway(database).target("1").load().migrate();
		LintReport report = MigrationLint.forFlyway(flyway).lint();
		assertThat(report.scripts()).as("the repeatable view was applied with V1").containsExactly("V2__user_profile.sql",
				"V3__index_orders_by_user.sql", "V4__import_and_require_email.sql",
				"V5__contract_legacy_and_link_orders.sql");
		assertThat(report.findings()).extracting(LintFinding::script, LintFinding::line, LintFinding::rule)
			.containsExactly(tuple("V4__import_and_require_email.sql", 14, "set-not-null"),
					tuple("V4__import_and_require_email.sql", 14, "missing-lock-timeout"),
					tuple("V5__contract_legacy_and_link_orders.sql", 7, "rename-column"),
					tuple("V5__contract_legacy_and_link_orders.sql", 9, "add-foreign-key-without-not-valid"));
		assertThat(report.suppressed()).extracting(LintFinding::script, LintFinding::line, LintFinding::rule,
				LintFinding::suppressedBecause)
			.containsExactly(tuple("V5__contract_legacy_and_link_orders.sql", 5, "drop-column",
					"no release since 2.3 reads legacy_ref"));
		assertThat(report.findings().get(0).statement()).isEqualTo("ALTER TABLE users ALTER COLUMN email SET NOT NULL");
		flyway.migrate();
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM order_statuses", Integer.class)).isEqualTo(4);
	}

	@Test
	void oneReleasePerMigrationFindsTheSameOnAnEmptyDatabase(TestDatabase database) {
		LintReport report = MigrationLint.forFlyway(flyway(database).load()).oneReleasePerMigration().lint();
		assertThat(report.scripts()).startsWith("V1__baseline.sql").endsWith("R__order_summary.sql");
		assertThat(report.findings()).extracting(LintFinding::script, LintFinding::line, LintFinding::rule)
			.containsExactly(tuple("V4__import_and_require_email.sql", 14, "set-not-null"),
					tuple("V4__import_and_require_email.sql", 14, "missing-lock-timeout"),
					tuple("V5__contract_legacy_and_link_orders.sql", 7, "rename-column"),
					tuple("V5__contract_legacy_and_link_orders.sql", 9, "add-foreign-key-without-not-valid"));
		assertThat(MigrationLint.forFlyway(flyway(database).load()).lint().findings())
			.as("everything is new when all of it runs together")
			.isEmpty();
	}

	@Test
	void withFlywaysDefaultsConcurrentlyHangsBehindFlywaysTransactionalLock(TestDatabase database) {
		flyway(database).target("1").load().migrate();
		LintReport report = MigrationLint.forDataSource(database.dataSource()).lint(CORPUS);
		assertThat(report.findings()).extracting(LintFinding::script, LintFinding::rule)
			.contains(tuple("V3__index_orders_by_user.sql", "concurrently-in-transaction"));
	}

	@Test
	void placeholdersAreReplacedAsFlywayReplacesThem(TestDatabase database, @TempDir Path migrations)
			throws IOException {
		Files.writeString(migrations.resolve("V1__create.sql"), "CREATE TABLE items (id int PRIMARY KEY, name text);");
		Files.writeString(migrations.resolve("V2__index.sql"), "CREATE INDEX ON ${table} (name);");
		Flyway.configure().dataSource(database.dataSource()).locations("filesystem:" + migrations).target("1").load().migrate();
		Flyway flyway = Flyway.configure()
			.dataSource(database.dataSource())
			.locations("filesystem:" + migrations)
			.placeholders(Map.of("table", "items"))
			.load();
		assertThat(MigrationLint.forFlyway(flyway).lint().findings()).extracting(LintFinding::rule)
			.containsExactly("create-index-without-concurrently", "missing-lock-timeout");
	}

	@Test
	void aLockTimeoutSetOnTheDatabaseCounts(TestDatabase database, @TempDir Path migrations) throws IOException {
		database.jdbc().execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
		database.jdbc().execute("ALTER DATABASE " + database.name() + " SET lock_timeout = '5s'");
		Files.writeString(migrations.resolve("V1__note.sql"), "ALTER TABLE items ADD COLUMN note text;");
		assertThat(MigrationLint.forDataSource(database.dataSource()).lint("filesystem:" + migrations).findings())
			.isEmpty();
	}

	private static FluentConfiguration flyway(TestDatabase database) {
		return Flyway.configure()
			.dataSource(database.dataSource())
			.locations(CORPUS)
			.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
	}

}
