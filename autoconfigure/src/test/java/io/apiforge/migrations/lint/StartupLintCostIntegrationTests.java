package io.apiforge.migrations.lint;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the start-up lint costs, and where it is not run at all: on an empty database it
 * is skipped (nothing is running on it, no table is busy) with one log line, and a script
 * the lint would refuse migrates; with a table in the schema the same script is refused.
 * Where it runs, it reads the catalog once for any number of scripts, and a script above
 * {@code migrations.lint.max-script-size} is a {@code script-too-large} finding instead of
 * being read.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class StartupLintCostIntegrationTests {

	private static final String SKIPPED = "Migration lint skipped: the database is empty (no schema history table, "
			+ "no table in schemas public)";

	@Test
	void onAnEmptyDatabaseTheLintIsSkippedWithOneLogLineAndAScriptItWouldRefuseMigrates(TestDatabase database,
			@TempDir Path migrations, CapturedOutput output) throws IOException {
		String location = refusedScript(migrations);
		MigrationsContextRunner.forDatabase(database, location)
			.withPropertyValues("migrations.lint.fail-on=error", "spring.flyway.schemas=public")
			.withBean(MigrationLinter.class, () -> new MigrationLinter(MigrationLinterTests.failingOn("items_name_idx")))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PendingMigrationsLint.class).lastReport()).as("never linted").isNull();
			});
		assertThat(output).containsOnlyOnce(SKIPPED)
			.contains("so no running version or busy table can be affected by the 1 pending migration(s); "
					+ "lint the scripts in CI")
			.doesNotContain("lint-error");
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM pg_indexes WHERE indexname = 'items_name_idx'",
				Integer.class)).isOne();
	}

	@Test
	void withATableInTheSchemaTheSameScriptIsLintedAndRefused(TestDatabase database, @TempDir Path migrations,
			CapturedOutput output) throws IOException {
		String location = refusedScript(migrations);
		// A database that was there before Flyway, which adopts it at version 0.
		database.jdbc().execute("CREATE TABLE unrelated (id int)");
		MigrationsContextRunner.forDatabase(database, location)
			.withPropertyValues("migrations.lint.fail-on=error", "spring.flyway.schemas=public",
					"spring.flyway.baseline-on-migrate=true", "spring.flyway.baseline-version=0")
			.withBean(MigrationLinter.class, () -> new MigrationLinter(MigrationLinterTests.failingOn("items_name_idx")))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).cause()
					.isInstanceOf(LintFailedException.class)
					.hasMessageContaining("V1__items.sql:2 [error] lint-error");
			});
		assertThat(output).doesNotContain("Migration lint skipped");
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM pg_tables WHERE tablename = 'items'",
				Integer.class)).isZero();
	}

	@Test
	void aScriptAboveTheBoundIsAScriptTooLargeFindingThatFailOnWarningStopsAndItsOpeningCommentCanAllow(
			TestDatabase database, @TempDir Path migrations, CapturedOutput output) throws IOException {
		Files.writeString(migrations.resolve("V1__items.sql"), "CREATE TABLE items (id int PRIMARY KEY, name text);");
		String location = "filesystem:" + migrations;
		Flyway.configure().dataSource(database.dataSource()).locations(location).load().migrate();
		// Its index statement comes last: linted, it would be two findings on line 2002.
		Files.writeString(migrations.resolve("V2__load.sql"), largeLoad(""));
		MigrationsContextRunner.forDatabase(database, location)
			.withPropertyValues("migrations.lint.fail-on=warning", "migrations.lint.max-script-size=64KB")
			.run((context) -> {
				assertThat(context).hasFailed();
				LintFailedException failure = (LintFailedException) context.getStartupFailure().getCause();
				assertThat(failure.getFindings()).extracting(LintFinding::script, LintFinding::line, LintFinding::rule)
					.containsExactly(tuple("V2__load.sql", 1, "script-too-large"));
				assertThat(failure.getFindings().get(0).message()).startsWith("V2__load.sql is larger than 65536B")
					.contains("migrations.lint.max-script-size");
			});
		Files.writeString(migrations.resolve("V2__load.sql"),
				largeLoad("-- Loads the catalogue.\n-- migrations:allow script-too-large reviewed by hand, data only\n"));
		MigrationsContextRunner.forDatabase(database, location)
			.withPropertyValues("migrations.lint.fail-on=warning", "migrations.lint.max-script-size=64KB")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(PendingMigrationsLint.class).lastReport().suppressed())
					.extracting(LintFinding::rule, LintFinding::suppressedBecause)
					.containsExactly(tuple("script-too-large", "reviewed by hand, data only"));
			});
		assertThat(output).contains("Migration lint: V2__load.sql line 1 allows script-too-large: reviewed by hand, data only");
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(2000);
	}

	@Test
	void theCatalogIsReadOnceForAnyNumberOfScripts(TestDatabase database, @TempDir Path one, @TempDir Path many)
			throws IOException {
		database.jdbc().execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
		writeIndexScripts(one, 1);
		writeIndexScripts(many, 30);
		Counts forOne = lintCounting(database, one);
		Counts forMany = lintCounting(database, many);
		assertThat(forMany.findings()).as("every script linted").isEqualTo(30 * forOne.findings()).isPositive();
		assertThat(forOne.connections()).isOne();
		assertThat(forMany.connections()).isEqualTo(forOne.connections());
		assertThat(forMany.queries()).isEqualTo(forOne.queries());
	}

	private static String refusedScript(Path migrations) throws IOException {
		Files.writeString(migrations.resolve("V1__items.sql"), """
				CREATE TABLE items (id int PRIMARY KEY, name text);
				CREATE INDEX items_name_idx ON items (name);
				""");
		return "filesystem:" + migrations;
	}

	private static String largeLoad(String opening) {
		StringBuilder sql = new StringBuilder(opening);
		for (int i = 0; i < 2000; i++) {
			sql.append("INSERT INTO items (id, name) VALUES (").append(i).append(", '").append("x".repeat(40)).append("');\n");
		}
		sql.append("CREATE INDEX items_name_idx ON items (name);\n");
		return sql.toString();
	}

	private static void writeIndexScripts(Path directory, int count) throws IOException {
		for (int i = 1; i <= count; i++) {
			Files.writeString(directory.resolve("V" + i + "__index_" + i + ".sql"),
					"CREATE INDEX items_name_" + i + "_idx ON items (name);");
		}
	}

	private static Counts lintCounting(TestDatabase database, Path migrations) {
		Flyway flyway = Flyway.configure()
			.dataSource(database.dataSource())
			.locations("filesystem:" + migrations)
			.load();
		List<MigrationSummary> pending = Arrays.stream(flyway.info().pending()).map(MigrationSummary::of).toList();
		AtomicInteger connections = new AtomicInteger();
		AtomicInteger queries = new AtomicInteger();
		DataSource counting = new DelegatingDataSource(database.dataSource()) {

			@Override
			public Connection getConnection() throws java.sql.SQLException {
				connections.incrementAndGet();
				return counting(super.getConnection(), queries);
			}

		};
		Flyway countingFlyway = Flyway.configure().configuration(flyway.getConfiguration()).dataSource(counting).load();
		LintReport report = new MigrationLinter().lintPending(countingFlyway, pending, ExistingTables.IN_DATABASE);
		return new Counts(connections.get(), queries.get(), report.findings().size());
	}

	/**
	 * A connection whose statements count the queries they run.
	 */
	private static Connection counting(Connection connection, AtomicInteger queries) {
		return (Connection) Proxy.newProxyInstance(StartupLintCostIntegrationTests.class.getClassLoader(),
				new Class<?>[] { Connection.class }, (proxy, method, args) -> {
					Object result = invoke(connection, method, args);
					if (result instanceof Statement statement) {
						return Proxy.newProxyInstance(StartupLintCostIntegrationTests.class.getClassLoader(),
								new Class<?>[] { method.getReturnType() }, (statementProxy, statementMethod, statementArgs) -> {
									if (statementMethod.getName().startsWith("execute")) {
										queries.incrementAndGet();
									}
									return invoke(statement, statementMethod, statementArgs);
								});
					}
					return result;
				});
	}

	private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private record Counts(int connections, int queries, int findings) {

	}

}
