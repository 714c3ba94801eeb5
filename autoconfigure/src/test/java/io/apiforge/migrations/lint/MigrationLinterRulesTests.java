package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every rule, table-driven, against a real database whose tables exist and hold rows: a
 * statement that breaks it raises exactly that rule, its safe form raises nothing, and a
 * {@code -- migrations:allow} comment on the line before suppresses it with its reason.
 */
@WithPostgres
class MigrationLinterRulesTests {

	/** Flyway as this starter recommends it: a session lock, so CONCURRENTLY can run. */
	static final FlywaySettings SETTINGS = new FlywaySettings(true, false, false, false, null, List.of());

	static final String LOCK_TIMEOUT = "SET LOCAL lock_timeout = '5s';\n";

	private static DataSource dataSource;

	@BeforeAll
	static void createExistingTables(TestDatabase database) {
		dataSource = existingTables(database);
	}

	/**
	 * Create the tables the rules find existing, with rows.
	 * @param database the database
	 * @return a data source on one connection to it, closed with {@link #close}
	 */
	static DataSource existingTables(TestDatabase database) {
		database.jdbc().execute("""
				CREATE TABLE categories (id int PRIMARY KEY, name text);
				CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10, 2), sku varchar(32),
				    legacy text, category_id int);
				INSERT INTO categories VALUES (1, 'tools');
				INSERT INTO items VALUES (1, 'hammer', 9.5, 'H-1', 'x', 1), (2, 'saw', 12, 'S-1', 'y', 1);
				ALTER TABLE items ADD CONSTRAINT items_legacy_not_null CHECK (legacy IS NOT NULL);
				CREATE UNIQUE INDEX items_sku_idx ON items (sku);
				""");
		return new SingleConnectionDataSource(database.jdbcUrl(), database.username(), database.password(), true);
	}

	static void close(DataSource dataSource) {
		((SingleConnectionDataSource) dataSource).destroy();
	}

	@AfterAll
	static void closeConnection() {
		close(dataSource);
	}

	static Stream<RuleCase> rules() {
		return Stream.of(
				new RuleCase(LintRule.CREATE_INDEX_WITHOUT_CONCURRENTLY,
						LOCK_TIMEOUT + "CREATE INDEX items_name_idx ON items (name);",
						"CREATE INDEX CONCURRENTLY items_name_idx ON items (name);"),
				new RuleCase(LintRule.CONCURRENTLY_IN_TRANSACTION,
						"SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY items_name_idx ON items (name);",
						"CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name_idx ON items (name);"),
				new RuleCase(LintRule.ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT,
						LOCK_TIMEOUT + "ALTER TABLE items ADD COLUMN stock int NOT NULL;",
						LOCK_TIMEOUT + "ALTER TABLE items ADD COLUMN stock int NOT NULL DEFAULT 0;"),
				new RuleCase(LintRule.SET_NOT_NULL, LOCK_TIMEOUT + "ALTER TABLE items ALTER COLUMN name SET NOT NULL;",
						LOCK_TIMEOUT + "-- a validated CHECK (legacy IS NOT NULL) exists: no scan\n"
								+ "ALTER TABLE items ALTER COLUMN legacy SET NOT NULL;"),
				new RuleCase(LintRule.ADD_COLUMN_VOLATILE_DEFAULT,
						LOCK_TIMEOUT + "ALTER TABLE items ADD COLUMN token uuid DEFAULT gen_random_uuid();",
						LOCK_TIMEOUT + "ALTER TABLE items ADD COLUMN created_at timestamptz DEFAULT now();"),
				new RuleCase(LintRule.ALTER_COLUMN_TYPE, LOCK_TIMEOUT + "ALTER TABLE items ALTER COLUMN price TYPE bigint;",
						LOCK_TIMEOUT + "ALTER TABLE items ALTER COLUMN sku TYPE varchar(64);"),
				new RuleCase(LintRule.RENAME_COLUMN, LOCK_TIMEOUT + "ALTER TABLE items RENAME COLUMN name TO title;",
						LOCK_TIMEOUT + "ALTER TABLE items ADD COLUMN title text;"),
				new RuleCase(LintRule.RENAME_TABLE, LOCK_TIMEOUT + "ALTER TABLE items RENAME TO products;",
						"CREATE VIEW products AS SELECT * FROM items;"),
				new RuleCase(LintRule.DROP_COLUMN, LOCK_TIMEOUT + "ALTER TABLE items DROP COLUMN legacy;",
						"CREATE TABLE drafts (id int, note text);\nALTER TABLE drafts DROP COLUMN note;"),
				new RuleCase(LintRule.DROP_TABLE, LOCK_TIMEOUT + "DROP TABLE IF EXISTS categories CASCADE;",
						"CREATE TABLE drafts (id int);\nDROP TABLE drafts;"),
				new RuleCase(LintRule.ADD_FOREIGN_KEY_WITHOUT_NOT_VALID,
						LOCK_TIMEOUT + "ALTER TABLE items ADD CONSTRAINT items_category_fk\n"
								+ "  FOREIGN KEY (category_id) REFERENCES categories (id);",
						LOCK_TIMEOUT + "ALTER TABLE items ADD CONSTRAINT items_category_fk\n"
								+ "  FOREIGN KEY (category_id) REFERENCES categories (id) NOT VALID;"),
				new RuleCase(LintRule.ADD_CHECK_WITHOUT_NOT_VALID,
						LOCK_TIMEOUT + "ALTER TABLE items ADD CONSTRAINT items_price_positive CHECK (price > 0);",
						LOCK_TIMEOUT + "ALTER TABLE items ADD CONSTRAINT items_price_positive CHECK (price > 0) NOT VALID;"),
				new RuleCase(LintRule.ADD_UNIQUE_CONSTRAINT_WITHOUT_INDEX,
						LOCK_TIMEOUT + "ALTER TABLE items ADD CONSTRAINT items_sku_key UNIQUE (sku);",
						LOCK_TIMEOUT + "ALTER TABLE items ADD CONSTRAINT items_sku_key UNIQUE USING INDEX items_sku_idx;"),
				new RuleCase(LintRule.MISSING_LOCK_TIMEOUT, "ALTER TABLE items ADD COLUMN note text;",
						LOCK_TIMEOUT + "ALTER TABLE items ADD COLUMN note text;"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void aStatementThatBreaksTheRuleRaisesExactlyIt(RuleCase rule) {
		LintReport report = lint(rule.positive());
		assertThat(report.findings()).singleElement().satisfies((finding) -> {
			assertThat(finding.rule()).isEqualTo(rule.rule().id());
			assertThat(finding.severity()).isEqualTo(rule.rule().severity());
			assertThat(finding.script()).isEqualTo("V9__case.sql");
			assertThat(finding.line()).isEqualTo(lastStatementLine(rule.positive()));
			assertThat(finding.recipe()).isEqualTo(rule.rule().recipe());
			assertThat(finding.message()).isNotBlank();
		});
		assertThat(report.suppressed()).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void theSafeFormRaisesNothing(RuleCase rule) {
		LintReport report = lint(rule.negative());
		assertThat(report.findings()).isEmpty();
		assertThat(report.suppressed()).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rules")
	void aSuppressionOnTheLineBeforeAllowsItWithItsReason(RuleCase rule) {
		int line = lint(rule.positive()).findings().get(0).line();
		List<String> lines = new ArrayList<>(Arrays.asList(rule.positive().split("\n")));
		lines.add(line - 1, "-- migrations:allow " + rule.rule().id() + " the table is tiny, checked with the DBA");
		LintReport report = lint(String.join("\n", lines));
		assertThat(report.findings()).isEmpty();
		assertThat(report.suppressed()).singleElement().satisfies((finding) -> {
			assertThat(finding.rule()).isEqualTo(rule.rule().id());
			assertThat(finding.suppressedBecause()).isEqualTo("the table is tiny, checked with the DBA");
		});
	}

	static LintReport lint(String sql) {
		return new MigrationLinter().lint(dataSource, SETTINGS, List.of(MigrationScript.of("V9__case.sql", sql)),
				ExistingTables.IN_DATABASE);
	}

	private static int lastStatementLine(String sql) {
		List<SqlStatement> statements = SqlScriptSplitter.split(sql);
		return statements.get(statements.size() - 1).line();
	}

	/**
	 * A rule, a statement that breaks it and its safe form.
	 */
	record RuleCase(LintRule rule, String positive, String negative) {

		@Override
		public String toString() {
			return this.rule.id();
		}

	}

}
