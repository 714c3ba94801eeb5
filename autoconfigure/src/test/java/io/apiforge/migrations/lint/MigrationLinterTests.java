package io.apiforge.migrations.lint;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static io.apiforge.migrations.lint.MigrationLinterRulesTests.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the rules know beyond one statement: which tables are new, how Flyway will run
 * the script, what set a {@code lock_timeout}, and which suppressions are valid.
 */
@WithPostgres
class MigrationLinterTests {

	private static DataSource dataSource;

	@BeforeAll
	static void createExistingTables(TestDatabase database) {
		dataSource = MigrationLinterRulesTests.existingTables(database);
	}

	@AfterAll
	static void closeConnection() {
		MigrationLinterRulesTests.close(dataSource);
	}

	@Test
	void aTableCreatedByTheMigrationsIsNewEvenInALaterScript() {
		String create = "CREATE TABLE orders (id bigint PRIMARY KEY, item_id int, total numeric(10, 2));";
		String change = """
				CREATE INDEX orders_item_idx ON orders (item_id);
				ALTER TABLE orders ADD CONSTRAINT orders_item_fk FOREIGN KEY (item_id) REFERENCES items (id);
				ALTER TABLE orders ALTER COLUMN total TYPE bigint;
				ALTER TABLE orders RENAME COLUMN total TO amount;
				""";
		assertThat(lint(SETTINGS, ExistingTables.IN_DATABASE, create, change).findings()).isEmpty();
		assertThat(lint(SETTINGS, ExistingTables.IN_DATABASE_OR_EARLIER_MIGRATIONS, create, change).findings())
			.extracting(LintFinding::script, LintFinding::line, LintFinding::rule)
			.containsExactly(tuple("V10__case.sql", 1, "create-index-without-concurrently"),
					tuple("V10__case.sql", 1, "missing-lock-timeout"),
					tuple("V10__case.sql", 2, "add-foreign-key-without-not-valid"),
					tuple("V10__case.sql", 3, "alter-column-type"), tuple("V10__case.sql", 4, "rename-column"));
	}

	@Test
	void aTableDroppedAndCreatedAgainIsNew() {
		assertThat(lint("""
				SET LOCAL lock_timeout = '2s';
				-- migrations:allow drop-table the old one held nothing
				DROP TABLE categories;
				CREATE TABLE categories (id int PRIMARY KEY, label text NOT NULL);
				CREATE INDEX categories_label_idx ON categories (label);
				""").findings()).isEmpty();
	}

	@Test
	void qualifiedAndQuotedNamesFindTheTable() {
		assertThat(lint("""
				SET lock_timeout TO 3000;
				CREATE INDEX ON public.items (price);
				CREATE INDEX ON "items" (name);
				CREATE INDEX ON "Items" (name);
				CREATE INDEX ON other_schema.items (name);
				""").findings()).extracting(LintFinding::line, LintFinding::rule)
			.containsExactly(tuple(2, "create-index-without-concurrently"), tuple(3, "create-index-without-concurrently"));
	}

	@Test
	void withFlywaysDefaultTransactionalLockConcurrentlyHangs() {
		FlywaySettings flywayDefaults = FlywaySettings.defaults();
		assertThat(lint(flywayDefaults, ExistingTables.IN_DATABASE, "CREATE INDEX CONCURRENTLY ON items (name);").findings())
			.singleElement()
			.satisfies((finding) -> {
				assertThat(finding.rule()).isEqualTo("concurrently-in-transaction");
				assertThat(finding.severity()).isEqualTo(LintSeverity.ERROR);
				assertThat(finding.message()).contains("hangs").contains("spring.flyway.postgresql.transactional-lock");
			});
	}

	@Test
	void concurrentlyFailsInsideAnExplicitTransactionOrATransactionalScript() {
		assertThat(lint("BEGIN;\nCREATE INDEX CONCURRENTLY ON items (name);\nCOMMIT;").findings())
			.extracting(LintFinding::rule, LintFinding::message)
			.containsExactly(tuple("concurrently-in-transaction",
					"CREATE INDEX CONCURRENTLY inside the transaction opened by BEGIN on line 1 fails: PostgreSQL cannot run it inside a transaction block."));
		assertThat(lint(SETTINGS, new MigrationScript("V9__case.sql", "CREATE INDEX CONCURRENTLY ON items (name);", true))
			.findings()).extracting(LintFinding::message)
			.singleElement()
			.asString()
			.contains("executeInTransaction=true in its .sql.conf");
		assertThat(lint("REINDEX INDEX CONCURRENTLY items_sku_idx;").findings()).extracting(LintFinding::message)
			.singleElement()
			.asString()
			.contains("Flyway does not recognise REINDEX CONCURRENTLY");
	}

	@Test
	void concurrentlyInAMixedScriptIsFineWhenFlywayMayMix() {
		FlywaySettings mixed = new FlywaySettings(true, true, false, false, null, List.of());
		assertThat(lint(mixed, ExistingTables.IN_DATABASE,
				"SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY ON items (name);\nDROP INDEX CONCURRENTLY items_sku_idx;")
			.findings()).isEmpty();
	}

	@Test
	void concurrentlyInAGroupWithTransactionalMigrationsIsRefused() {
		FlywaySettings group = new FlywaySettings(true, false, true, false, null, List.of());
		assertThat(lint(group, ExistingTables.IN_DATABASE, "CREATE INDEX CONCURRENTLY ON items (name);",
				"SET LOCAL lock_timeout = '5s';\nALTER TABLE items ADD COLUMN note text;")
			.findings()).extracting(LintFinding::rule, LintFinding::script)
			.containsExactly(tuple("concurrently-in-transaction", "V9__case.sql"));
	}

	@Test
	void validatingInTheSameTransactionAsNotValidIsNoBetter() {
		assertThat(lint("""
				SET LOCAL lock_timeout = '5s';
				ALTER TABLE items ADD CONSTRAINT items_price_positive CHECK (price > 0) NOT VALID;
				ALTER TABLE items VALIDATE CONSTRAINT items_price_positive;
				""").findings()).extracting(LintFinding::line, LintFinding::rule)
			.containsExactly(tuple(3, "add-check-without-not-valid"));
	}

	@Test
	void setNotNullAfterACheckValidatedInAnEarlierMigrationIsSafe() {
		assertThat(lint(SETTINGS, ExistingTables.IN_DATABASE,
				"SET LOCAL lock_timeout = '5s';\nALTER TABLE items ADD CONSTRAINT items_name_nn CHECK (name IS NOT NULL) NOT VALID;",
				"ALTER TABLE items VALIDATE CONSTRAINT items_name_nn;\nSET LOCAL lock_timeout = '5s';\n"
						+ "ALTER TABLE items ALTER COLUMN name SET NOT NULL;")
			.findings()).isEmpty();
	}

	@Test
	void aLockTimeoutOfZeroOrLaterInTheScriptDoesNotCount() {
		assertThat(lint("SET lock_timeout = 0;\nALTER TABLE items ADD COLUMN a text;").findings())
			.extracting(LintFinding::rule)
			.containsExactly("missing-lock-timeout");
		assertThat(lint("ALTER TABLE items ADD COLUMN a text;\nSET lock_timeout = '1s';\nALTER TABLE items ADD COLUMN b text;")
			.findings()).extracting(LintFinding::line, LintFinding::rule)
			.containsExactly(tuple(1, "missing-lock-timeout"));
		assertThat(lint("SELECT set_config('lock_timeout', '4s', true);\nALTER TABLE items ADD COLUMN a text;").findings())
			.isEmpty();
	}

	@Test
	void flywaysInitSqlCanSetTheLockTimeoutForEveryMigration() {
		FlywaySettings initSql = new FlywaySettings(true, false, false, false, "SET lock_timeout = '5s'", List.of());
		assertThat(lint(initSql, ExistingTables.IN_DATABASE, "ALTER TABLE items ADD COLUMN a text;").findings()).isEmpty();
	}

	@Test
	void widerVarcharAndNumericAreNotTypeChanges() {
		assertThat(lint("""
				SET LOCAL lock_timeout = '5s';
				ALTER TABLE items ALTER COLUMN sku TYPE text;
				ALTER TABLE items ALTER COLUMN price SET DATA TYPE numeric(12, 2);
				ALTER TABLE items ALTER COLUMN name TYPE varchar;
				ALTER TABLE items ALTER COLUMN price TYPE numeric(12, 3);
				ALTER TABLE items ALTER COLUMN sku TYPE varchar(8);
				ALTER TABLE items ALTER COLUMN legacy TYPE text USING trim(legacy);
				""").findings()).extracting(LintFinding::line).containsExactly(5, 6, 7);
	}

	@Test
	void serialAndIdentityColumnsRewriteTheTable() {
		assertThat(lint("""
				SET LOCAL lock_timeout = '5s';
				ALTER TABLE items ADD COLUMN seq bigserial;
				ALTER TABLE items ADD COLUMN ident int GENERATED ALWAYS AS IDENTITY;
				ALTER TABLE items ADD COLUMN added timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;
				""").findings()).extracting(LintFinding::line, LintFinding::rule)
			.containsExactly(tuple(2, "add-column-volatile-default"), tuple(3, "add-column-volatile-default"));
	}

	@Test
	void suppressionsWithoutAReasonOrWithAnUnknownRuleAreReportedAndSuppressNothing() {
		LintReport report = lint("""
				SET LOCAL lock_timeout = '5s';
				-- migrations:allow drop-column
				-- migrations:allow drop-colum the typo is the point
				-- migrations:allow
				ALTER TABLE items DROP COLUMN legacy;
				""");
		assertThat(report.findings()).extracting(LintFinding::line, LintFinding::rule, LintFinding::message)
			.containsExactly(tuple(2, "invalid-suppression",
							"The -- migrations:allow comment on line 2 gives no reason for allowing drop-column, so it suppresses nothing."),
					tuple(3, "invalid-suppression",
							"The -- migrations:allow comment on line 3 names an unknown rule 'drop-colum', so it suppresses nothing."),
					tuple(4, "invalid-suppression",
							"The -- migrations:allow comment on line 4 names no rule, so it suppresses nothing."),
					tuple(5, "drop-column", "DROP COLUMN legacy on existing table public.items breaks the "
							+ "application version still running during a rolling deployment: its queries and mappings still use it."));
		assertThat(report.suppressed()).isEmpty();
	}

	@Test
	void statementsTheLintCannotClassifyArePassedOver() {
		assertThat(lint("""
				SET lock_timeout = '1s';
				DO $$ BEGIN EXECUTE 'ALTER TABLE items DROP COLUMN legacy'; END $$;
				ALTER TABLE;
				CREATE INDEX;
				ALTER TABLE items ALTER COLUMN;
				ALTER TABLE items ADD CONSTRAINT;
				ALTER TABLE ${table} ADD COLUMN x int;
				UPDATE items SET name = upper(name) WHERE id IN (SELECT id FROM items LIMIT 1000);
				GRANT SELECT ON items TO PUBLIC;
				)))(((;
				""").findings()).isEmpty();
	}

	@Test
	void typeModifiersTooLargeForAnIntegerAreReportedAsTypeChangesNotFailedOn() {
		LintReport report = lint("""
				ALTER TABLE items ALTER COLUMN sku TYPE varchar(99999999999);
				ALTER TABLE items ALTER COLUMN price TYPE numeric(12, 99999999999);
				""");
		assertThat(report.findings()).extracting(LintFinding::line, LintFinding::rule)
			.containsExactly(tuple(1, "alter-column-type"), tuple(1, "missing-lock-timeout"),
					tuple(2, "alter-column-type"));
		assertThat(report.findings().get(0).message()).contains("TYPE varchar(99999999999)")
			.endsWith("(The lint cannot read the type varchar(99999999999), so it cannot tell whether this is a widening "
					+ "that needs no rewrite.)");
	}

	@Test
	void aColumnCreatedWithATypeTheLintCannotReadIsStillLintedLater() {
		LintReport report = lint(SETTINGS, ExistingTables.IN_DATABASE_OR_EARLIER_MIGRATIONS,
				"CREATE TABLE wide (v varchar(99999999999));",
				"SET LOCAL lock_timeout = '5s';\nALTER TABLE wide ALTER COLUMN v TYPE text;");
		assertThat(report.findings()).singleElement().satisfies((finding) -> {
			assertThat(finding.rule()).isEqualTo("alter-column-type");
			assertThat(finding.message()).contains("The lint cannot read the type varchar(99999999999)");
		});
	}

	@Test
	void aStatementTheLintFailsOnIsALintErrorAndTheOtherStatementsAndScriptsAreStillLinted() {
		MigrationLinter linter = new MigrationLinter(failingOn("price"));
		LintReport report = linter.lint(dataSource, SETTINGS, List.of(MigrationScript.of("V9__case.sql", """
				SET LOCAL lock_timeout = '5s';
				ALTER TABLE items ALTER COLUMN price TYPE bigint;
				ALTER TABLE items DROP COLUMN legacy;
				"""), MigrationScript.of("V10__case.sql", "ALTER TABLE items RENAME COLUMN name TO title;")),
				ExistingTables.IN_DATABASE);
		assertThat(report.findings()).extracting(LintFinding::script, LintFinding::line, LintFinding::rule)
			.containsExactly(tuple("V9__case.sql", 2, "lint-error"), tuple("V9__case.sql", 3, "drop-column"),
					tuple("V10__case.sql", 1, "rename-column"), tuple("V10__case.sql", 1, "missing-lock-timeout"));
		LintFinding error = report.findings().get(0);
		assertThat(error.severity()).isEqualTo(LintSeverity.ERROR);
		assertThat(error.message()).isEqualTo("The lint failed on this statement (IllegalStateException: a bug of the lint), "
				+ "so it did not check it: ALTER TABLE items ALTER COLUMN price TYPE bigint");
		assertThat(error.statement()).isEqualTo("ALTER TABLE items ALTER COLUMN price TYPE bigint");
		assertThat(error.recipe()).contains("Report it")
			.contains("-- migrations:allow lint-error <reason>")
			.contains("migrations.lint.fail-on=none")
			.contains("migrations.lint.enabled=false");
		assertThat(report.reaching(LintFailOn.ERROR)).contains(error);
	}

	@Test
	void aLintErrorIsAllowedLikeAnyFinding() {
		LintReport report = new MigrationLinter(failingOn("price")).lint(dataSource, SETTINGS,
				List.of(MigrationScript.of("V9__case.sql", """
						SET LOCAL lock_timeout = '5s';
						-- migrations:allow lint-error checked by hand: a type change on an empty column
						ALTER TABLE items ALTER COLUMN price TYPE bigint;
						""")), ExistingTables.IN_DATABASE);
		assertThat(report.findings()).isEmpty();
		assertThat(report.suppressed()).extracting(LintFinding::rule, LintFinding::suppressedBecause)
			.containsExactly(tuple("lint-error", "checked by hand: a type change on an empty column"));
	}

	@Test
	void emptyUnterminatedAndByteOrderMarkedScriptsAreLintedWithoutALintError() {
		for (String sql : new String[] { "", "  \n", "-- nothing to do\n", "/* open", "SELECT $$ open", "SELECT 'open",
				"ALTER TABLE items ADD COLUMN note text DEFAULT $$open", "SELECT set_config();", "SET lock_timeout =",
				"ALTER TABLE items ALTER COLUMN sku TYPE varchar(", "\uFEFF" }) {
			assertThat(lint(sql).findings()).as(sql).extracting(LintFinding::rule).doesNotContain("lint-error");
		}
		assertThat(lint("\uFEFFSET LOCAL lock_timeout = '5s';\nALTER TABLE items DROP COLUMN legacy;").findings())
			.extracting(LintFinding::line, LintFinding::rule)
			.containsExactly(tuple(2, "drop-column"));
	}

	/**
	 * Rules that fail, as a bug of the lint would, on the statements that mention a word.
	 */
	static ScriptLinter.StatementCheck failingOn(String word) {
		return (statement, context) -> {
			if (statement.sql().contains(word)) {
				throw new IllegalStateException("a bug of the lint");
			}
			return StatementRules.check(statement, context);
		};
	}

	private static LintReport lint(String sql) {
		return lint(SETTINGS, MigrationScript.of("V9__case.sql", sql));
	}

	private static LintReport lint(FlywaySettings settings, ExistingTables existingTables, String... scripts) {
		List<MigrationScript> migrations = new ArrayList<>();
		for (int i = 0; i < scripts.length; i++) {
			migrations.add(MigrationScript.of("V" + (9 + i) + "__case.sql", scripts[i]));
		}
		return new MigrationLinter().lint(dataSource, settings, migrations, existingTables);
	}

	private static LintReport lint(FlywaySettings settings, MigrationScript script) {
		return new MigrationLinter().lint(dataSource, settings, List.of(script), ExistingTables.IN_DATABASE);
	}

}
