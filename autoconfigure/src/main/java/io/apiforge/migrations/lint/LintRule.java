package io.apiforge.migrations.lint;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules of the migration lint: each with the id used in reports and suppressions, a
 * severity, the reason in one line, and the safe recipe. See {@code docs/lint.md} for an
 * example of each.
 * <p>
 * Rules about an "existing table" apply only to tables that exist in the database when
 * the lint runs (and have not been dropped and created again by the migrations being
 * linted): creating a table and indexing it in the same run raises nothing.
 * <p>
 * The {@link #contractRules() contract rules} (dropping or renaming what the running
 * application still uses, changing a column's type) are errors in an expand migration
 * ({@code spring.flyway.locations}) and expected in a contract migration
 * ({@code migrations.contract.locations}), which runs only once no replica expects the
 * old schema: there they are not reported.
 *
 * @author apiforge
 */
public enum LintRule {

	/**
	 * {@code CREATE INDEX} without {@code CONCURRENTLY} on an existing table.
	 */
	CREATE_INDEX_WITHOUT_CONCURRENTLY("create-index-without-concurrently", LintSeverity.WARNING,
			"CREATE INDEX without CONCURRENTLY blocks every write to the table until the index is built.",
			"Use CREATE INDEX CONCURRENTLY, alone in a migration of its own (Flyway then runs that script outside a transaction), "
					+ "with spring.flyway.postgresql.transactional-lock=false. If it fails it leaves an INVALID index: drop it and run it again."),

	/**
	 * {@code CREATE INDEX CONCURRENTLY} (or {@code DROP INDEX CONCURRENTLY},
	 * {@code REINDEX … CONCURRENTLY}) where it would fail or hang.
	 */
	CONCURRENTLY_IN_TRANSACTION("concurrently-in-transaction", LintSeverity.ERROR,
			"CONCURRENTLY cannot run inside a transaction, and it waits forever for Flyway's transactional lock.",
			"Put each CREATE/DROP INDEX CONCURRENTLY in a migration of its own, with no other statement (Flyway runs such a script outside a transaction), "
					+ "and set spring.flyway.postgresql.transactional-lock=false (Flyway then holds a session lock, which CONCURRENTLY does not wait for; "
					+ "this starter's own lock still keeps replicas apart). Do not wrap it in BEGIN/COMMIT or executeInTransaction=true."),

	/**
	 * {@code ADD COLUMN … NOT NULL} without a {@code DEFAULT} on an existing table.
	 */
	ADD_COLUMN_NOT_NULL_WITHOUT_DEFAULT("add-column-not-null-without-default", LintSeverity.ERROR,
			"Adding a NOT NULL column without a DEFAULT fails as soon as the table has a row.",
			"Add the column with a constant DEFAULT (instant since PostgreSQL 11), or add it nullable, backfill it in batches, "
					+ "then make it NOT NULL the safe way (see set-not-null)."),

	/**
	 * {@code ALTER COLUMN … SET NOT NULL} on an existing column.
	 */
	SET_NOT_NULL("set-not-null", LintSeverity.WARNING,
			"SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done.",
			"ALTER TABLE t ADD CONSTRAINT t_c_not_null CHECK (c IS NOT NULL) NOT VALID; in a later migration, ALTER TABLE t VALIDATE "
					+ "CONSTRAINT t_c_not_null (reads and writes go on while it checks), then ALTER TABLE t ALTER COLUMN c SET NOT NULL, which "
					+ "finds the valid constraint and skips the scan (PostgreSQL 12+), then drop the CHECK constraint."),

	/**
	 * {@code ADD COLUMN} with a volatile default on an existing table.
	 */
	ADD_COLUMN_VOLATILE_DEFAULT("add-column-volatile-default", LintSeverity.WARNING,
			"A volatile DEFAULT (random(), gen_random_uuid(), clock_timestamp(), nextval(), serial, identity) rewrites the whole table under an ACCESS EXCLUSIVE lock.",
			"Add the column without a default (or with a constant or stable one such as now()), then ALTER COLUMN … SET DEFAULT for new rows, "
					+ "and backfill the existing rows in batches."),

	/**
	 * {@code ALTER COLUMN … TYPE} on an existing table.
	 */
	ALTER_COLUMN_TYPE("alter-column-type", LintSeverity.ERROR,
			"Changing a column's type rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, and the running application may not read the new type.",
			"Expand/contract: add a column of the new type, write both from the application, backfill in batches, switch reads, "
					+ "and drop the old column in a later release. (Widening varchar(n) to a larger n or to text, or numeric to a larger precision, "
					+ "needs no rewrite and is not reported.)" + Recipes.CONTRACT),

	/**
	 * {@code RENAME COLUMN} on an existing table.
	 */
	RENAME_COLUMN("rename-column", LintSeverity.ERROR,
			"Renaming a column breaks the application version still running during a rolling deployment: its queries use the old name.",
			"Expand/contract: add the new column, write both and backfill, release the application that reads the new one, "
					+ "then drop the old column once no running version uses it." + Recipes.CONTRACT),

	/**
	 * {@code RENAME TO} on an existing table.
	 */
	RENAME_TABLE("rename-table", LintSeverity.ERROR,
			"Renaming a table breaks the application version still running during a rolling deployment: its queries use the old name.",
			"Expand/contract: create the new table (or rename it and leave an updatable view with the old name), "
					+ "release the application that uses the new name, then drop the old name." + Recipes.CONTRACT),

	/**
	 * {@code DROP COLUMN} on an existing table.
	 */
	DROP_COLUMN("drop-column", LintSeverity.ERROR,
			"Dropping a column breaks the application version still running during a rolling deployment: its queries and mappings still use it.",
			"Contract phase: first release an application version that neither reads nor writes the column (remove it from JPA mappings too), "
					+ "then drop it." + Recipes.CONTRACT),

	/**
	 * {@code DROP TABLE} of an existing table.
	 */
	DROP_TABLE("drop-table", LintSeverity.ERROR,
			"Dropping a table breaks the application version still running during a rolling deployment if it still uses the table.",
			"Contract phase: first release an application version that no longer uses the table, then drop it."
					+ Recipes.CONTRACT),

	/**
	 * {@code ADD FOREIGN KEY} without {@code NOT VALID} on an existing table.
	 */
	ADD_FOREIGN_KEY_WITHOUT_NOT_VALID("add-foreign-key-without-not-valid", LintSeverity.WARNING,
			"Adding a foreign key checks every row while it blocks writes to both the table and the referenced table.",
			"ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (…) REFERENCES r (…) NOT VALID (brief lock; new rows are checked), "
					+ "then ALTER TABLE t VALIDATE CONSTRAINT t_fk in a later migration (reads and writes go on while it checks)."),

	/**
	 * {@code ADD CHECK} without {@code NOT VALID} on an existing table.
	 */
	ADD_CHECK_WITHOUT_NOT_VALID("add-check-without-not-valid", LintSeverity.WARNING,
			"Adding a CHECK constraint scans every row under an ACCESS EXCLUSIVE lock: no reads, no writes until it is done.",
			"ALTER TABLE t ADD CONSTRAINT t_check CHECK (…) NOT VALID (brief lock; new rows are checked), "
					+ "then ALTER TABLE t VALIDATE CONSTRAINT t_check in a later migration (reads and writes go on while it checks)."),

	/**
	 * {@code ADD UNIQUE} or {@code ADD PRIMARY KEY} without {@code USING INDEX} on an
	 * existing table.
	 */
	ADD_UNIQUE_CONSTRAINT_WITHOUT_INDEX("add-unique-constraint-without-index", LintSeverity.WARNING,
			"Adding a UNIQUE or PRIMARY KEY constraint builds its index under an ACCESS EXCLUSIVE lock: no reads, no writes until it is built.",
			"CREATE UNIQUE INDEX CONCURRENTLY t_c_key ON t (c) in a migration of its own, "
					+ "then ALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE USING INDEX t_c_key (or PRIMARY KEY USING INDEX)."),

	/**
	 * A migration that takes a strong lock on an existing table without a
	 * {@code lock_timeout}.
	 */
	MISSING_LOCK_TIMEOUT("missing-lock-timeout", LintSeverity.WARNING,
			"Without a lock_timeout, DDL waiting behind a long transaction makes every later query on the table queue behind it: an outage.",
			"Start the migration with SET LOCAL lock_timeout = '5s'; (it ends with Flyway's transaction for the migration; use SET in a "
					+ "non-transactional one), so that the DDL gives up instead, and deploy again later. Or give the migrating role a "
					+ "lock_timeout (ALTER ROLE … SET lock_timeout = '5s')."),

	/**
	 * A {@code -- migrations:allow} comment without a reason, or naming an unknown rule.
	 */
	INVALID_SUPPRESSION("invalid-suppression", LintSeverity.WARNING,
			"A suppression must name a rule and say why the statement is safe; this one suppresses nothing.",
			"Write -- migrations:allow <rule-id> <reason> on the line before the statement, with one of the rule ids of docs/lint.md."),

	/**
	 * A script larger than {@code migrations.lint.max-script-size}: the lint does not
	 * read it, so that a large data migration cannot exhaust the heap before it runs.
	 */
	SCRIPT_TOO_LARGE("script-too-large", LintSeverity.WARNING,
			"The script is larger than the lint reads (migrations.lint.max-script-size), so none of its statements is checked.",
			"Check the script yourself; keep schema changes out of large data scripts (load data with a Java migration or a "
					+ "script of its own, so that the DDL stays small and linted). If the heap allows it, raise "
					+ "migrations.lint.max-script-size; or write -- migrations:allow script-too-large <reason> among the "
					+ "comments that open the script."),

	/**
	 * The lint itself failed on a statement (or could not read a script), so it cannot
	 * tell whether it is safe. An error, so that {@code fail-on} fails closed.
	 */
	LINT_ERROR("lint-error", LintSeverity.ERROR,
			"The lint failed on this statement (a gap or a bug of the lint), so it cannot tell whether the statement is safe.",
			"Report it, with the statement and the error (logging.level.io.apiforge.migrations.lint=debug logs the stack trace). "
					+ "Check the statement yourself; to go on, write -- migrations:allow lint-error <reason> on the line before it, "
					+ "or set migrations.lint.fail-on=none (the lint only logs) or migrations.lint.enabled=false (no lint).");

	private final String id;

	private final LintSeverity severity;

	private final String reason;

	private final String recipe;

	LintRule(String id, LintSeverity severity, String reason, String recipe) {
		this.id = id;
		this.severity = severity;
		this.reason = reason;
		this.recipe = recipe;
	}

	/**
	 * Return the id used in reports and in {@code -- migrations:allow} comments.
	 * @return the id, such as {@code drop-column}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return how bad a finding of this rule is.
	 * @return the severity
	 */
	public LintSeverity severity() {
		return this.severity;
	}

	/**
	 * Return why the statement is a problem, in one line.
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * Return how to get the same result safely.
	 * @return the recipe
	 */
	public String recipe() {
		return this.recipe;
	}

	/**
	 * Return the rules whose statements belong in a contract migration
	 * ({@code migrations.contract.locations}), where the lint does not report them:
	 * {@code drop-column}, {@code drop-table}, {@code rename-column},
	 * {@code rename-table} and {@code alter-column-type}.
	 * @return a new set of the rules
	 */
	public static Set<LintRule> contractRules() {
		return EnumSet.of(DROP_COLUMN, DROP_TABLE, RENAME_COLUMN, RENAME_TABLE, ALTER_COLUMN_TYPE);
	}

	/**
	 * Return the rule of an id.
	 * @param id a rule id, such as {@code drop-column}
	 * @return the rule, or empty when no rule has that id
	 */
	public static Optional<LintRule> ofId(String id) {
		return Arrays.stream(values()).filter((rule) -> rule.id.equals(id)).findFirst();
	}

	/**
	 * The recipe texts several rules share (a nested class, because an enum constant
	 * cannot read its own enum's static fields).
	 */
	private static final class Recipes {

		static final String CONTRACT = " Run that last step as a contract migration (migrations.contract.locations, "
				+ "see docs/zero-downtime.md#contract-migrations): it runs only once no replica expects the old schema, "
				+ "and the lint expects the statement there and does not report it.";

	}

}
