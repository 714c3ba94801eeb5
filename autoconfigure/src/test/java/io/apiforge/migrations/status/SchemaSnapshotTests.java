package io.apiforge.migrations.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each {@link SchemaState}, from what Flyway reports about a real database.
 */
@WithPostgres
class SchemaSnapshotTests {

	@Test
	void anEmptyDatabaseIsNotInitialized(TestDatabase database) {
		SchemaSnapshot snapshot = snapshot(database, "classpath:db/basic");
		assertThat(snapshot.state()).isEqualTo(SchemaState.NOT_INITIALIZED);
		assertThat(snapshot.currentVersion()).isNull();
		assertThat(snapshot.expectedVersion()).isEqualTo("2");
		assertThat(snapshot.pending()).hasSize(2);
		assertThat(snapshot.applied()).isEmpty();
	}

	@Test
	void aPartlyMigratedDatabaseIsPending(TestDatabase database) {
		flyway(database, "classpath:db/basic").target("1").load().migrate();
		SchemaSnapshot snapshot = snapshot(database, "classpath:db/basic");
		assertThat(snapshot.state()).isEqualTo(SchemaState.PENDING);
		assertThat(snapshot.currentVersion()).isEqualTo("1");
		assertThat(snapshot.expectedVersion()).isEqualTo("2");
		assertThat(snapshot.applied()).extracting(MigrationSummary::version).containsExactly("1");
		assertThat(snapshot.applied().get(0).installedOn()).isNotNull();
		assertThat(snapshot.applied().get(0).installedBy()).isEqualTo(database.username());
	}

	@Test
	void aFullyMigratedDatabaseIsUpToDate(TestDatabase database) {
		flyway(database, "classpath:db/basic").load().migrate();
		SchemaSnapshot snapshot = snapshot(database, "classpath:db/basic");
		assertThat(snapshot.state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(snapshot.currentVersion()).isEqualTo("2");
		assertThat(snapshot.expectedVersion()).isEqualTo("2");
	}

	@Test
	void aDatabaseMigratedByANewerApplicationIsAhead(TestDatabase database) {
		flyway(database, "classpath:db/ahead").load().migrate();
		SchemaSnapshot snapshot = snapshot(database, "classpath:db/basic");
		assertThat(snapshot.state()).isEqualTo(SchemaState.AHEAD);
		assertThat(snapshot.currentVersion()).isEqualTo("3");
		assertThat(snapshot.expectedVersion()).isEqualTo("2");
	}

	@Test
	void aFailedMigrationInTheHistoryIsFailed(TestDatabase database) {
		flyway(database, "classpath:db/basic").target("1").load().migrate();
		// What Flyway records when a migration that ran outside a transaction fails.
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (2, '2', 'add price', 'SQL', 'V2__add_price.sql', "
					+ "0, current_user, 1, false)");
		SchemaSnapshot snapshot = snapshot(database, "classpath:db/basic");
		assertThat(snapshot.state()).isEqualTo(SchemaState.FAILED);
		assertThat(snapshot.failed()).extracting(MigrationSummary::script).containsExactly("V2__add_price.sql");
	}

	@Test
	void versionsAboveTheConfiguredTargetAreNotExpected(TestDatabase database) {
		SchemaSnapshot snapshot = SchemaSnapshot.of(flyway(database, "classpath:db/basic").target("1").load().info(),
				Instant.now());
		assertThat(snapshot.expectedVersion()).isEqualTo("1");
		assertThat(snapshot.pending()).extracting(MigrationSummary::version).containsExactly("1");
	}

	@Test
	void aSnapshotCatchesUpWithTheHistoryTableWithoutFlyway(TestDatabase database) throws Exception {
		flyway(database, "classpath:db/basic").target("1").load().migrate();
		SchemaSnapshot before = snapshot(database, "classpath:db/basic");
		assertThat(before.state()).isEqualTo(SchemaState.PENDING);
		// Another instance applies V2, then one that ships V3.
		flyway(database, "classpath:db/basic").load().migrate();
		SchemaSnapshot caughtUp = before.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(caughtUp.state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(caughtUp.currentVersion()).isEqualTo("2");
		assertThat(caughtUp.pending()).isEmpty();
		flyway(database, "classpath:db/ahead").load().migrate();
		SchemaSnapshot ahead = before.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(ahead.state()).isEqualTo(SchemaState.AHEAD);
		assertThat(ahead.currentVersion()).isEqualTo("3");
		assertThat(ahead.expectedVersion()).isEqualTo("2");
	}

	@Test
	void aFailureRecordedByAnotherInstanceShowsUp(TestDatabase database) throws Exception {
		flyway(database, "classpath:db/basic").target("1").load().migrate();
		SchemaSnapshot before = snapshot(database, "classpath:db/basic");
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (2, '2', 'add price', 'SQL', 'V2__add_price.sql', "
					+ "0, current_user, 1, false)");
		SchemaSnapshot after = before.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(after.state()).isEqualTo(SchemaState.FAILED);
		assertThat(after.failed()).extracting(MigrationSummary::script).containsExactly("V2__add_price.sql");
	}

	@Test
	void aMissingHistoryTableReadsAsNothingApplied(TestDatabase database) throws Exception {
		SchemaHistory history = SchemaHistory.read(database.dataSource(), "flyway_schema_history");
		assertThat(history.exists()).isFalse();
		assertThat(snapshot(database, "classpath:db/basic").withHistory(history, Instant.now()).state())
			.isEqualTo(SchemaState.NOT_INITIALIZED);
	}

	@Test
	void aVersionRolledBackElsewhereIsPendingAgain(TestDatabase database) throws Exception {
		flyway(database, "classpath:db/basic").load().migrate();
		SchemaSnapshot before = snapshot(database, "classpath:db/basic");
		assertThat(before.state()).isEqualTo(SchemaState.UP_TO_DATE);
		// Another instance rolls V2 back: its change and its history row go.
		database.jdbc().execute("ALTER TABLE items DROP COLUMN price");
		database.jdbc().update("DELETE FROM flyway_schema_history WHERE version = '2'");
		SchemaSnapshot after = before.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(after.state()).isEqualTo(SchemaState.PENDING);
		assertThat(after.currentVersion()).isEqualTo("1");
		assertThat(after.expectedVersion()).isEqualTo("2");
		assertThat(after.pending()).extracting(MigrationSummary::version, MigrationSummary::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("2", "PENDING"));
		assertThat(after.applied()).extracting(MigrationSummary::version).containsExactly("1");
		// And migrated again: up to date once more.
		flyway(database, "classpath:db/basic").load().migrate();
		SchemaSnapshot again = after.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(again.state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(again.pending()).isEmpty();
	}

	@Test
	void aSnapshotOfManyMigrationsIsPackedAndReadsBackWhatFlywayReported(TestDatabase database, @TempDir Path scripts)
			throws Exception {
		// Enough migrations that the snapshot packs them, one with a description outside ASCII.
		for (int version = 1; version <= 100; version++) {
			Files.writeString(scripts.resolve("V" + version + "__step_" + version + ((version == 7) ? "_größe" : "") + ".sql"),
					"CREATE TABLE t" + version + " (id int);");
		}
		String location = "filesystem:" + scripts;
		flyway(database, location).load().migrate();
		org.flywaydb.core.api.MigrationInfo[] applied = flyway(database, location).load().info().applied();
		SchemaSnapshot before = snapshot(database, location);
		assertThat(before.applied()).hasSize(100)
			.isEqualTo(java.util.Arrays.stream(applied).map(MigrationSummary::of).toList());
		assertThat(before.applied().get(6).description()).isEqualTo("step 7 größe");
		assertThat(before.shipped()).isEqualTo(before.applied());
		// Another instance rolls the last ten back.
		database.jdbc().update("DELETE FROM flyway_schema_history WHERE version::int > 90");
		SchemaSnapshot after = before.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(after.state()).isEqualTo(SchemaState.PENDING);
		assertThat(after.applied()).isEqualTo(before.applied().subList(0, 90));
		assertThat(after.pending()).extracting(MigrationSummary::version)
			.containsExactly("91", "92", "93", "94", "95", "96", "97", "98", "99", "100");
		assertThat(after.pending().get(0).script()).isEqualTo("V91__step_91.sql");
	}

	@Test
	void aHistoryAheadWithAnEditedAMissingAndAnIgnoredMigrationReadsAsFlywayReportsIt(TestDatabase database,
			@TempDir Path scripts) throws Exception {
		String location = manyScripts(scripts, 80);
		flyway(database, location).target("70").load().migrate();
		database.jdbc().update("UPDATE flyway_schema_history SET checksum = 1 WHERE version = '5'");
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (100, '99', 'future', 'SQL', 'V99__future.sql', "
					+ "0, current_user, 1, true)");
		Files.delete(scripts.resolve("V7__step_7.sql"));
		MigrationInfoService info = flyway(database, location).load().info();

		SchemaSnapshot snapshot = SchemaSnapshot.of(info, Instant.now());

		assertSaysWhatFlywaySays(snapshot, info);
		assertThat(snapshot.state()).isEqualTo(SchemaState.AHEAD);
		assertThat(snapshot.currentVersion()).isEqualTo("99");
		assertThat(snapshot.expectedVersion()).isEqualTo("70");
		assertThat(snapshot.shipped()).hasSize(69).noneMatch((migration) -> "7".equals(migration.version()));
		assertThat(snapshot.invalid()).hasSize(12)
			.anyMatch((problem) -> problem.startsWith("Migration checksum mismatch for version 5 (V5__step_5.sql)"))
			.anyMatch((problem) -> problem.startsWith("Detected applied migration not resolved locally: version 7"))
			.anyMatch((problem) -> problem.startsWith("Detected resolved migration not applied to database: version 71"));
	}

	@Test
	void aFailedMigrationAmongManyReadsAsFlywayReportsIt(TestDatabase database, @TempDir Path scripts) throws Exception {
		String location = manyScripts(scripts, 80);
		flyway(database, location).target("70").load().migrate();
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (100, '71', 'step 71', 'SQL', 'V71__step_71.sql', "
					+ "0, current_user, 1, false)");
		MigrationInfoService info = flyway(database, location).load().info();

		SchemaSnapshot snapshot = SchemaSnapshot.of(info, Instant.now());

		assertSaysWhatFlywaySays(snapshot, info);
		assertThat(snapshot.state()).isEqualTo(SchemaState.FAILED);
		assertThat(snapshot.failed()).extracting(MigrationSummary::version).containsExactly("71");
		assertThat(snapshot.pending()).hasSize(9);
		assertThat(snapshot.expectedVersion()).isEqualTo("80");
		assertThat(snapshot.invalid()).singleElement()
			.satisfies((problem) -> assertThat(problem).startsWith("Detected failed migration to version 71"));
	}

	@Test
	void theSnapshotAfterMigratingAnEmptyDatabaseReadOffTheAddedRowsIsWhatFlywayReports(TestDatabase database,
			@TempDir Path scripts) throws Exception {
		String location = manyScripts(scripts, 80);
		assertDerivedAfterMigratingIsWhatFlywayReports(database, location, null);
	}

	@Test
	void theSnapshotAfterMigratingTenMoreOfManyReadOffTheAddedRowsIsWhatFlywayReports(TestDatabase database,
			@TempDir Path scripts) throws Exception {
		String location = manyScripts(scripts, 80);
		Files.writeString(scripts.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;");
		flyway(database, location).target("70").load().migrate();
		// An edited applied script: a validation problem before the run and after it.
		Files.writeString(scripts.resolve("V3__step_3.sql"), "CREATE TABLE t3 (id bigint);");
		assertDerivedAfterMigratingIsWhatFlywayReports(database, location, (configuration) -> configuration
			.validateOnMigrate(false));
	}

	@Test
	void theSnapshotAfterMigratingIntoASchemaFlywayCreatesReadOffTheAddedRowsIsWhatFlywayReports(
			TestDatabase database, @TempDir Path scripts) throws Exception {
		String location = manyScripts(scripts, 80);
		// Flyway records the schema it creates in a row of rank 0, before the migrations.
		assertDerivedAfterMigratingIsWhatFlywayReports(database, location,
				(configuration) -> configuration.schemas("Fresh Schema"), "Fresh Schema.flyway_schema_history");
		assertThat(database.jdbc()
			.queryForObject("SELECT type FROM \"Fresh Schema\".flyway_schema_history WHERE installed_rank = 0",
					String.class))
			.isEqualTo("SCHEMA");
	}

	@Test
	void theSnapshotAfterMigratingAFewReadOffTheAddedRowsIsWhatFlywayReports(TestDatabase database) {
		flyway(database, "classpath:db/basic").target("1").load().migrate();
		assertDerivedAfterMigratingIsWhatFlywayReports(database, "classpath:db/basic", null);
	}

	@Test
	void rowsThatAreNotExactlyThePendingMigrationsAppliedInOrderCannotTell(TestDatabase database,
			@TempDir Path scripts) throws Exception {
		String location = manyScripts(scripts, 5);
		SchemaSnapshot empty = snapshot(database, location);
		flyway(database, location).target("3").load().migrate();
		assertThat(empty.afterApplying(addedAfter(database, empty), Instant.now())).as("two not applied").isNull();
		SchemaSnapshot atThree = snapshot(database, location);
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (4, '4', 'step 4', 'SQL', 'V4__step_4.sql', "
					+ "0, current_user, 1, false), (5, '5', 'step 5', 'SQL', 'V5__step_5.sql', 0, current_user, 1, true)");
		assertThat(atThree.afterApplying(addedAfter(database, atThree), Instant.now())).as("a failed row").isNull();
		database.jdbc().update("DELETE FROM flyway_schema_history WHERE version IN ('4', '5')");
		Files.writeString(scripts.resolve("R__views.sql"), "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;");
		SchemaSnapshot withRepeatable = snapshot(database, location);
		flyway(database, location).load().migrate();
		assertThat(withRepeatable.afterApplying(addedAfter(database, withRepeatable), Instant.now()))
			.as("a repeatable pending")
			.isNull();
		Files.writeString(scripts.resolve("V2_5__between.sql"), "CREATE TABLE between_them (id int);");
		SchemaSnapshot outOfOrder = SchemaSnapshot.of(flyway(database, location).outOfOrder(true).load().info(),
				Instant.now());
		flyway(database, location).outOfOrder(true).load().migrate();
		assertThat(outOfOrder.pending()).extracting(MigrationSummary::version).containsExactly("2.5");
		assertThat(outOfOrder.afterApplying(addedAfter(database, outOfOrder), Instant.now())).as("out of order")
			.isNull();
	}

	/**
	 * Migrate, then check that the snapshot made from the rows the migration added is what
	 * Flyway's {@code info()} says afterwards, list by list.
	 */
	private static void assertDerivedAfterMigratingIsWhatFlywayReports(TestDatabase database, String location,
			@Nullable UnaryOperator<FluentConfiguration> customizer) {
		assertDerivedAfterMigratingIsWhatFlywayReports(database, location, customizer, "flyway_schema_history");
	}

	private static void assertDerivedAfterMigratingIsWhatFlywayReports(TestDatabase database, String location,
			@Nullable UnaryOperator<FluentConfiguration> customizer, String table) {
		Supplier<Flyway> flyway = () -> ((customizer != null) ? customizer.apply(flyway(database, location))
				: flyway(database, location)).load();
		SchemaSnapshot before = SchemaSnapshot.of(flyway.get().info(), Instant.now());
		assertThat(before.hasPending()).isTrue();
		flyway.get().migrate();
		SchemaSnapshot derived = before.afterApplying(addedAfter(database, table, before), Instant.now());
		SchemaSnapshot reported = SchemaSnapshot.of(flyway.get().info(), Instant.now());
		assertThat(derived).isNotNull();
		assertThat(derived.state()).isEqualTo(reported.state()).isEqualTo(SchemaState.UP_TO_DATE);
		assertThat(derived.currentVersion()).isEqualTo(reported.currentVersion());
		assertThat(derived.expectedVersion()).isEqualTo(reported.expectedVersion());
		assertThat(derived.pending()).isEqualTo(reported.pending()).isEmpty();
		assertThat(derived.failed()).isEqualTo(reported.failed());
		assertThat(derived.applied()).isEqualTo(reported.applied());
		assertThat(derived.shipped()).isEqualTo(reported.shipped());
		assertThat(derived.invalid()).isEqualTo(reported.invalid());
		// Kept as compactly as Flyway's answer would be: packed from the same number on.
		assertThat(PackedMigrationSummaries.compressedLength(derived.applied()) > 0)
			.isEqualTo(PackedMigrationSummaries.compressedLength(reported.applied()) > 0);
	}

	private static List<MigrationSummary> addedAfter(TestDatabase database, SchemaSnapshot before) {
		return addedAfter(database, "flyway_schema_history", before);
	}

	/**
	 * The rows added after the snapshot's last rank, as the run reads them.
	 */
	private static List<MigrationSummary> addedAfter(TestDatabase database, String table, SchemaSnapshot before) {
		try {
			return SchemaHistoryPage.rowsAfter(database.dataSource(), table, before.lastInstalledRank());
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The snapshot's lists and current version are what Flyway's own {@code pending()},
	 * {@code applied()} and {@code current()} say: the snapshot reads them off in one walk
	 * of its own.
	 */
	private static void assertSaysWhatFlywaySays(SchemaSnapshot snapshot, MigrationInfoService info) {
		assertThat(snapshot.pending()).isEqualTo(Arrays.stream(info.pending()).map(MigrationSummary::of).toList());
		assertThat(snapshot.applied()).isEqualTo(Arrays.stream(info.applied()).map(MigrationSummary::of).toList());
		assertThat(snapshot.failed()).isEqualTo(Arrays.stream(info.all())
			.filter((migration) -> migration.getState().isFailed())
			.map(MigrationSummary::of)
			.toList());
		assertThat(snapshot.currentVersion()).isEqualTo(info.current().getVersion().getVersion());
		// Enough migrations that the snapshot packs them.
		assertThat(PackedMigrationSummaries.compressedLength(snapshot.applied())).isPositive();
	}

	private static String manyScripts(Path scripts, int count) throws Exception {
		for (int version = 1; version <= count; version++) {
			Files.writeString(scripts.resolve("V" + version + "__step_" + version + ".sql"),
					"CREATE TABLE t" + version + " (id int);");
		}
		return "filesystem:" + scripts;
	}

	@Test
	void aHistoryTableThatVanishesOrIsEmptiedIsMissing(TestDatabase database) throws Exception {
		flyway(database, "classpath:db/basic").load().migrate();
		SchemaSnapshot before = snapshot(database, "classpath:db/basic");
		database.jdbc().execute("DELETE FROM flyway_schema_history");
		SchemaSnapshot emptied = before.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(emptied.state()).isEqualTo(SchemaState.HISTORY_MISSING);
		assertThat(emptied.currentVersion()).isNull();
		database.jdbc().execute("DROP TABLE flyway_schema_history");
		SchemaSnapshot dropped = emptied.withHistory(SchemaHistory.read(database.dataSource(), "flyway_schema_history"),
				Instant.now());
		assertThat(dropped.state()).isEqualTo(SchemaState.HISTORY_MISSING);
		assertThat(dropped.pending()).extracting(MigrationSummary::version).containsExactly("1", "2");
	}

	private static SchemaSnapshot snapshot(TestDatabase database, String location) {
		return SchemaSnapshot.of(flyway(database, location).load().info(), Instant.now());
	}

	private static FluentConfiguration flyway(TestDatabase database, String location) {
		return Flyway.configure().dataSource(database.dataSource()).locations(location);
	}

}
