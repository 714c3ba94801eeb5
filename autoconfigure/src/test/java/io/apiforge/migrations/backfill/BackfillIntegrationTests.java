package io.apiforge.migrations.backfill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.BackfillProgress;
import io.apiforge.migrations.status.BackfillProgressListener;
import io.apiforge.migrations.testsupport.AdvisoryLockWaiters;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Batched backfills against a real PostgreSQL: every row updated exactly once in
 * batches that each commit, while another connection keeps writing; a JVM killed with
 * SIGKILL half-way, or a connection cut, resumes from the checkpoint; progress reaches
 * the listener; mistakes are named. Sized down (20,000 rows) for the suite.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class BackfillIntegrationTests {

	private static final int ROWS = 20_000;

	/** The row whose batch waits on the gate: in the middle, so that batches committed before it. */
	private static final int GATED_ROW = 12_345;

	private static final long GATE = 4242;

	@Test
	void everyRowIsFilledOnceInBatchesThatEachCommitWhileAnotherConnectionWrites(TestDatabase database)
			throws Exception {
		createPeople(database, "public");
		JdbcTemplate jdbc = database.jdbc();
		List<BackfillProgress> heard = new CopyOnWriteArrayList<>();
		Flyway flyway = flyway(database, new V1__GatedFill(500), heard);
		CompletableFuture<Void> migration;
		try (Connection gate = database.dataSource().getConnection()) {
			lockGate(gate);
			migration = CompletableFuture.runAsync(flyway::migrate);
			awaitGate(database, migration);
			// The backfill waits in the middle: rows of the batches before it are free,
			// so the application writes them (and a row not reached yet) without waiting.
			try (Connection writer = database.dataSource().getConnection();
					Statement statement = writer.createStatement()) {
				statement.execute("SET lock_timeout = '5s'");
				assertThat(statement
					.executeUpdate("UPDATE people SET note = 'written while filling' WHERE id IN (1, 500, 19999)"))
					.isEqualTo(3);
			}
			assertThat(jdbc.queryForObject("SELECT count(*) FROM people WHERE full_name IS NOT NULL", Long.class))
				.as("the batches before the gate committed")
				.isGreaterThan(0)
				.isLessThan(ROWS);
			assertThat(checkpointBatches(jdbc)).isPositive();
			unlockGate(gate);
		}
		migration.get(2, TimeUnit.MINUTES);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM people WHERE touched <> 1", Long.class))
			.as("every row updated exactly once")
			.isZero();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM people WHERE full_name <> first_name || ' ' || last_name",
				Long.class))
			.isZero();
		assertThat(jdbc.queryForList("SELECT note FROM people WHERE id IN (1, 500, 19999)", String.class))
			.as("the application's writes are kept")
			.containsOnly("written while filling");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM public.flyway_schema_history_backfills", Long.class))
			.as("a finished backfill leaves no checkpoint")
			.isZero();
		assertThat(heard).isNotEmpty();
		assertThat(heard.get(heard.size() - 1)).satisfies((last) -> {
			assertThat(last.rowsScanned()).isEqualTo(ROWS);
			assertThat(last.rowsUpdated()).isEqualTo(ROWS);
			assertThat(last.batches()).isEqualTo(ROWS / 500);
			assertThat(last.table()).isEqualTo("people");
		});
		assertThat(heard).extracting(BackfillProgress::rowsScanned).isSorted();
	}

	@Test
	void aConnectionCutHalfWayResumesAfterTheLastCommittedBatch(TestDatabase database, CapturedOutput output)
			throws Exception {
		createPeople(database, "Sales");
		JdbcTemplate jdbc = database.jdbc();
		Backfill backfill = gatedFill("Sales.people").batchSize(700);
		// Beside the history table of a schema that Flyway manages.
		jdbc.execute("CREATE TABLE \"Sales\".flyway_schema_history (installed_rank int PRIMARY KEY)");
		Configuration configuration = Flyway.configure().defaultSchema("Sales").dataSource(database.dataSource());
		CompletableFuture<BackfillProgress> first;
		try (Connection gate = database.dataSource().getConnection();
				Connection migration = database.dataSource().getConnection()) {
			lockGate(gate);
			first = CompletableFuture.supplyAsync(() -> runQuietly(backfill, configuration, migration));
			awaitGate(database, first);
			// As a killed process or a lost network leaves it: the server ends the session.
			jdbc.queryForObject("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
					+ "AND objid = " + GATE + " AND NOT granted", Boolean.class);
			assertThat(first).failsWithin(Duration.ofMinutes(1));
			unlockGate(gate);
		}
		long doneBefore = jdbc.queryForObject("SELECT count(*) FROM \"Sales\".people WHERE touched = 1", Long.class);
		assertThat(doneBefore).as("the batches before the cut stay done").isPositive().isLessThan(ROWS);
		assertThat(jdbc.queryForObject(
				"SELECT rows_updated FROM \"Sales\".flyway_schema_history_backfills", Long.class))
			.as("the checkpoint names exactly what committed")
			.isEqualTo(doneBefore);
		BackfillProgress resumed;
		try (Connection migration = database.dataSource().getConnection()) {
			resumed = backfill.run(context(configuration, migration));
		}
		assertThat(output).contains("Backfill of Sales.people resumes after key");
		assertThat(resumed.rowsUpdated()).isEqualTo(ROWS);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM \"Sales\".people WHERE touched <> 1", Long.class))
			.as("no row updated twice, none missed")
			.isZero();
	}

	@Test
	void aJvmKilledHalfWayResumesFromItsCheckpointWithEveryRowUpdatedOnce(TestDatabase database, @TempDir Path temp)
			throws Exception {
		createPeople(database, "public");
		JdbcTemplate jdbc = database.jdbc();
		try (Connection gate = database.dataSource().getConnection()) {
			lockGate(gate);
			Process jvm = startChild(database, temp);
			try {
				// The bound covers a JVM starting on a loaded machine; a passing test waits
				// only until the backfill waits on the gate.
				Awaitility.await("the child's backfill to wait on the gate")
					.atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> {
						assertThat(jvm.isAlive()).as("the child ended early: %s", read(temp)).isTrue();
						return AdvisoryLockWaiters.count(database) > 0;
					});
				jvm.destroyForcibly().waitFor();
			}
			finally {
				jvm.destroyForcibly();
			}
			// Only now can the session blocked on the gate go on, find its client gone and
			// roll its batch back.
			unlockGate(gate);
			int gatePid = backendPid(gate);
			Eventually.await("the killed JVM's sessions to end", () -> jdbc.queryForObject(
					"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
							+ "AND pid <> pg_backend_pid() AND pid <> ?",
					Integer.class, gatePid) == 0);
		}
		long committed = jdbc.queryForObject("SELECT count(*) FROM people WHERE touched = 1", Long.class);
		assertThat(committed).as("the batches before the kill stay done").isPositive().isLessThan(ROWS);
		assertThat(jdbc.queryForObject("SELECT rows_updated FROM public.flyway_schema_history_backfills", Long.class))
			.as("the checkpoint names exactly what committed")
			.isEqualTo(committed);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE version = '1'", Integer.class))
			.as("killed before Flyway recorded it: nothing to repair")
			.isZero();
		List<BackfillProgress> heard = new CopyOnWriteArrayList<>();
		flyway(database, new V1__GatedFill(500), heard).migrate();
		assertThat(jdbc.queryForObject("SELECT count(*) FROM people WHERE touched <> 1", Long.class))
			.as("every row updated exactly once across the kill")
			.isZero();
		assertThat(heard.get(0).batches()).as("resumed after the committed batches, not from the start")
			.isEqualTo(committed / 500 + 1);
		assertThat(jdbc.queryForObject("SELECT count(*) FROM public.flyway_schema_history_backfills", Long.class))
			.isZero();
	}

	private static int backendPid(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
			result.next();
			return result.getInt(1);
		}
	}

	private static Process startChild(TestDatabase database, Path temp) throws Exception {
		List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx96m", "-cp",
				System.getProperty("java.class.path"), ChildJvm.class.getName());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(temp.resolve("child.log").toFile());
		builder.environment().put("BACKFILL_URL", database.jdbcUrl());
		builder.environment().put("BACKFILL_USERNAME", database.username());
		builder.environment().put("BACKFILL_PASSWORD", (database.password() != null) ? database.password() : "");
		return builder.start();
	}

	private static String read(Path temp) {
		try {
			return Files.readString(temp.resolve("child.log"));
		}
		catch (Exception ex) {
			return ex.toString();
		}
	}

	/**
	 * A JVM of its own that runs the gated backfill migration through Flyway, for the
	 * test that kills it; the database from the environment, so that the password is on
	 * no command line.
	 */
	static final class ChildJvm {

		public static void main(String[] args) {
			Flyway.configure()
				.dataSource(System.getenv("BACKFILL_URL"), System.getenv("BACKFILL_USERNAME"),
						System.getenv("BACKFILL_PASSWORD"))
				.locations(new String[0])
				.javaMigrations(new V1__GatedFill(500))
				.baselineOnMigrate(true)
				.baselineVersion("0")
				.load()
				.migrate();
			System.exit(0);
		}

	}

	@Test
	void aBackfillInsideTheMigrationsTransactionIsRefusedNamingTheFix(TestDatabase database) {
		createPeople(database, "public");
		JavaMigration inTransaction = new V1__FillInTransaction();
		Flyway flyway = Flyway.configure().dataSource(database.dataSource()).locations(new String[0]).javaMigrations(inTransaction)
			.baselineOnMigrate(true).baselineVersion("0").load();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(flyway::migrate)
			.satisfies((ex) -> assertThat(ex).hasStackTraceContaining("inside the migration's transaction")
				.hasStackTraceContaining(MigrationsException.class.getName()));
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM people WHERE touched > 0", Long.class))
			.isZero();
	}

	@Test
	void anUnknownKeyColumnIsNamed(TestDatabase database) throws SQLException {
		createPeople(database, "public");
		Configuration configuration = Flyway.configure().dataSource(database.dataSource());
		try (Connection connection = database.dataSource().getConnection()) {
			assertThatExceptionOfType(MigrationsException.class)
				.isThrownBy(() -> Backfill.table("people").key("uid").set("touched = 1").run(context(configuration,
						connection)))
				.withMessageContaining("has no column uid")
				.satisfies((ex) -> assertThat(ex.getAction()).contains("key(\"id\")"));
		}
	}

	/**
	 * Wait until the backfill waits on the gate; a backfill that ended before that fails
	 * the test with its own error.
	 */
	private static void awaitGate(TestDatabase database, CompletableFuture<?> backfill) {
		Awaitility.await()
			.atMost(AdvisoryLockWaiters.GIVE_UP_AFTER)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> backfill.isDone() || AdvisoryLockWaiters.count(database) > 0);
		if (backfill.isDone()) {
			backfill.join();
			throw new AssertionError("The backfill finished without reaching the gate");
		}
	}

	private static BackfillProgress runQuietly(Backfill backfill, Configuration configuration, Connection connection) {
		try {
			return backfill.run(context(configuration, connection));
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static long checkpointBatches(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT batches FROM public.flyway_schema_history_backfills", Long.class);
	}

	private static void createPeople(TestDatabase database, String schema) {
		String table = "\"" + schema + "\".people";
		JdbcTemplate jdbc = database.jdbc();
		jdbc.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
		jdbc.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, first_name text NOT NULL, "
				+ "last_name text NOT NULL, full_name text, note text, touched int NOT NULL DEFAULT 0)");
		jdbc.execute("INSERT INTO " + table + " (id, first_name, last_name) SELECT i, 'first' || i, 'last' || i "
				+ "FROM generate_series(1, " + ROWS + ") AS i");
		jdbc.execute("ANALYZE " + table);
		// Blocks the batch that reaches the gated row while a test holds the gate.
		jdbc.execute("CREATE OR REPLACE FUNCTION \"" + schema + "\".gate(id bigint) RETURNS int LANGUAGE plpgsql AS $$ "
				+ "BEGIN IF id = " + GATED_ROW + " THEN PERFORM pg_advisory_xact_lock(" + GATE + "); END IF; "
				+ "RETURN 1; END $$");
	}

	private static Backfill fill(String table) {
		return Backfill.table(table).key("id")
			.set("full_name = first_name || ' ' || last_name, touched = touched + 1")
			.where("full_name IS NULL")
			.pause(Duration.ZERO);
	}

	private static Backfill gatedFill(String table) {
		String schema = table.contains(".") ? "\"" + table.substring(0, table.indexOf('.')) + "\"." : "";
		return Backfill.table(table).key("id")
			.set("full_name = first_name || ' ' || last_name, touched = touched + " + schema + "gate(id)")
			.where("full_name IS NULL")
			.lockTimeout(Duration.ofMinutes(1))
			.statementTimeout(Duration.ofMinutes(1))
			.pause(Duration.ZERO);
	}

	private static void lockGate(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_advisory_lock(" + GATE + ")");
		}
	}

	private static void unlockGate(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_advisory_unlock(" + GATE + ")");
		}
	}

	private static Flyway flyway(TestDatabase database, JavaMigration migration, List<BackfillProgress> heard) {
		return Flyway.configure()
			.dataSource(database.dataSource())
			.locations(new String[0])
			.javaMigrations(migration)
			.baselineOnMigrate(true)
			.baselineVersion("0")
			.callbacks(new ListeningCallback(heard))
			.load();
	}

	private static Context context(Configuration configuration, Connection connection) {
		return new Context() {

			@Override
			public Configuration getConfiguration() {
				return configuration;
			}

			@Override
			public Connection getConnection() {
				return connection;
			}

		};
	}

	/** A backfill migration whose batches wait on the gate at {@link #GATED_ROW}. */
	static final class V1__GatedFill extends BackfillMigration {

		private final int batchSize;

		V1__GatedFill(int batchSize) {
			this.batchSize = batchSize;
		}

		@Override
		protected Backfill backfill() {
			return gatedFill("people").batchSize(this.batchSize);
		}

	}

	/** A backfill run inside Flyway's transaction, as a plain Java migration would. */
	static final class V1__FillInTransaction extends BaseJavaMigration {

		@Override
		public void migrate(Context context) throws Exception {
			fill("people").run(context);
		}

	}

	/** Hears progress as the starter's progress callback does. */
	static final class ListeningCallback implements Callback, BackfillProgressListener {

		private final List<BackfillProgress> heard;

		ListeningCallback(List<BackfillProgress> heard) {
			this.heard = heard;
		}

		@Override
		public void backfillProgressed(BackfillProgress progress) {
			this.heard.add(progress);
		}

		@Override
		public boolean supports(Event event, org.flywaydb.core.api.callback.Context context) {
			return false;
		}

		@Override
		public boolean canHandleInTransaction(Event event, org.flywaydb.core.api.callback.Context context) {
			return true;
		}

		@Override
		public void handle(Event event, org.flywaydb.core.api.callback.Context context) {
		}

		@Override
		public String getCallbackName() {
			return "listening";
		}

	}

}
