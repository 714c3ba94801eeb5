package io.apiforge.migrations.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.DatabaseContents;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.testsupport.MedianTime;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

/**
 * What the start-up lint costs for many pending scripts: {@code benchmark.scripts}
 * (default 200) generated migrations in a {@code filesystem:} location, linted against an
 * empty database and against one with a table, {@code benchmark.rounds} times each, and
 * the emptiness check that replaces the lint at start-up on an empty database. Prints
 * the median times. Asserts nothing.
 * <p>
 * Not part of the suite (its name does not end with {@code Tests}); run it by hand:
 *
 * <pre>
 * ./mvnw -pl autoconfigure test -Dtest=LintStartupBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@WithPostgres
class LintStartupBenchmark {

	private static final int SCRIPTS = Integer.getInteger("benchmark.scripts", 200);

	private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 5);

	@Test
	void lintOfManyPendingScripts(TestDatabase database, @TempDir Path migrations) throws IOException {
		for (int i = 1; i <= SCRIPTS; i++) {
			StringBuilder sql = new StringBuilder("-- generated migration " + i + "\n");
			sql.append("SET LOCAL lock_timeout = '5s';\n");
			sql.append("CREATE TABLE t" + i + " (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz DEFAULT now());\n");
			sql.append("CREATE INDEX t" + i + "_name_idx ON t" + i + " (name);\n");
			sql.append("COMMENT ON TABLE t" + i + " IS 'generated; semicolons; inside';\n");
			sql.append("CREATE FUNCTION f" + i + "() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN " + i + "; END $$;\n");
			for (int row = 0; row < 20; row++) {
				sql.append("INSERT INTO t" + i + " (id, name) VALUES (" + row + ", 'row " + row + "');\n");
			}
			Files.writeString(migrations.resolve("V" + i + "__generated_" + i + ".sql"), sql);
		}
		Flyway flyway = Flyway.configure().dataSource(database.dataSource()).locations("filesystem:" + migrations).load();
		MigrationLinter linter = new MigrationLinter();
		// As at start-up: the pending migrations come from the inspection, not from the lint.
		List<MigrationSummary> pending = Arrays.stream(flyway.info().pending()).map(MigrationSummary::of).toList();
		System.out.println("[lint-benchmark] empty database, the lint (what start-up paid before it skipped it): " + median(() -> linter.lintPending(flyway, pending, ExistingTables.IN_DATABASE)) + " ms for "
				+ SCRIPTS + " scripts");
		System.out.println("[lint-benchmark] empty database, the start-up lint's emptiness check (what it costs now): "
				+ median(() -> isEmpty(database)) + " ms");
		database.jdbc().execute("CREATE TABLE existing (id int)");
		System.out.println("[lint-benchmark] database with a table: " + median(() -> linter.lintPending(flyway, pending, ExistingTables.IN_DATABASE))
				+ " ms for " + SCRIPTS + " scripts");
	}

	private static void isEmpty(TestDatabase database) {
		try {
			DatabaseContents.isEmpty(database.dataSource(), List.of("public"));
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The median of {@link #ROUNDS} runs, after one that warms up. */
	private static long median(Runnable lint) {
		lint.run();
		return MedianTime.millis(ROUNDS, lint);
	}

}
