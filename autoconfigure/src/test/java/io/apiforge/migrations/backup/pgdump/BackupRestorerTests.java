package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.DatabaseSnapshot;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The way back: a backup the lifecycle took before migrating restores, into a fresh
 * database, exactly the schema and data that were there before the migration.
 */
@WithPostgres
class BackupRestorerTests {

	@TempDir
	Path temp;

	@ParameterizedTest
	@EnumSource(PgDumpFormat.class)
	void aBackupTakenBeforeMigratingRestoresThePreMigrationStateExactly(PgDumpFormat format, TestDatabase database,
			PostgresServer server) {
		seed(database);
		DatabaseSnapshot beforeMigration = DatabaseSnapshot.of(database);
		BackupRecord[] backup = new BackupRecord[1];
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + this.temp,
					"migrations.backup.format=" + format.name().toLowerCase(java.util.Locale.ROOT))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				backup[0] = context.getBean(MigrationStatusHolder.class).current().lastBackup();
			});
		assertThat(backup[0]).isNotNull();
		assertThat(backup[0].fromVersion()).isEqualTo("1");
		assertThat(DatabaseSnapshot.of(database)).as("the migration changed the database").isNotEqualTo(beforeMigration);
		try (TestDatabase restored = TestDatabase.create(server)) {
			new BackupRestorer(null, Duration.ofMinutes(1)).restore(Path.of(backup[0].location()), restored.dataSource());
			DatabaseSnapshot afterRestore = DatabaseSnapshot.of(restored);
			assertThat(afterRestore.columns()).isEqualTo(beforeMigration.columns());
			assertThat(afterRestore.constraints()).isEqualTo(beforeMigration.constraints());
			assertThat(afterRestore.indexes()).isEqualTo(beforeMigration.indexes());
			assertThat(afterRestore.sequences()).isEqualTo(beforeMigration.sequences());
			assertThat(afterRestore.tables()).isEqualTo(beforeMigration.tables());
			assertThat(restored.jdbc().queryForList("SELECT version FROM flyway_schema_history", String.class))
				.containsExactly("1");
		}
	}

	@ParameterizedTest
	@EnumSource(PgDumpFormat.class)
	void mixedCaseAndDottedSchemasRestoreCompletely(PgDumpFormat format, TestDatabase database, PostgresServer server) {
		PgDumpBackupStrategyTests.createSchemas(database, "Billing", "a.b", "billing", "aXb");
		database.jdbc().execute("CREATE TABLE \"Billing\".\"Invoice\" (id bigserial PRIMARY KEY, "
				+ "t_id int REFERENCES \"Billing\".t (id), total numeric(10, 2))");
		database.jdbc().execute("INSERT INTO \"Billing\".\"Invoice\" (t_id, total) SELECT g, g * 2.5 FROM generate_series(1, 10) g");
		database.jdbc().execute("CREATE INDEX invoice_total ON \"Billing\".\"Invoice\" (total)");
		List<String> schemas = List.of("Billing", "a.b");
		DatabaseSnapshot before = only(DatabaseSnapshot.of(database), schemas);
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(PgDumpBackupStrategyTests.schemaSettings(this.temp, format, null))
			.backup(new BackupRequest(database.dataSource(), schemas, "1", "2", 1));
		try (TestDatabase restored = TestDatabase.create(server)) {
			new BackupRestorer(null, Duration.ofMinutes(1)).restore(Path.of(backup.location()), restored.dataSource());
			DatabaseSnapshot after = DatabaseSnapshot.of(restored);
			assertThat(after).isEqualTo(before);
			assertThat(before.tables()).hasSize(3);
		}
	}

	@ParameterizedTest
	@EnumSource(PgDumpFormat.class)
	void aSchemaScopedBackupOfPublicRestoresIntoANewDatabase(PgDumpFormat format, TestDatabase database,
			PostgresServer server) {
		seed(database);
		DatabaseSnapshot before = DatabaseSnapshot.of(database);
		// No spring.flyway.schemas: the scope is Flyway's default schema, public, which a
		// new database already has (empty).
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(PgDumpBackupStrategyTests.schemaSettings(this.temp, format, null))
			.backup(new BackupRequest(database.dataSource(), List.of(), "1", "2", 1));
		try (TestDatabase restored = TestDatabase.create(server)) {
			new BackupRestorer(null, Duration.ofMinutes(1)).restore(Path.of(backup.location()), restored.dataSource());
			assertThat(DatabaseSnapshot.of(restored)).isEqualTo(before);
		}
	}

	@Test
	void aNonEmptySchemaInTheTargetIsNeverDropped(TestDatabase database, PostgresServer server) {
		seed(database);
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(PgDumpBackupStrategyTests.schemaSettings(this.temp, PgDumpFormat.CUSTOM, null))
			.backup(new BackupRequest(database.dataSource(), List.of(), "1", "2", 1));
		try (TestDatabase restored = TestDatabase.create(server)) {
			restored.jdbc().execute("CREATE TABLE keep_me (id int)");
			assertThatExceptionOfType(BackupException.class)
				.isThrownBy(() -> new BackupRestorer(null, Duration.ofMinutes(1)).restore(Path.of(backup.location()),
						restored.dataSource()))
				.withMessageContaining("schema \"public\" already exists");
			assertThat(restored.jdbc().queryForObject("SELECT to_regclass('public.keep_me') IS NOT NULL", Boolean.class))
				.isTrue();
		}
	}

	/**
	 * The part of a snapshot that is about the given schemas.
	 */
	private static DatabaseSnapshot only(DatabaseSnapshot snapshot, List<String> schemas) {
		java.util.function.Predicate<String> inSchemas = (line) -> schemas.stream()
			.anyMatch((schema) -> line.startsWith(schema + " ") || line.startsWith("\"" + schema + "\"."));
		return new DatabaseSnapshot(snapshot.columns().stream().filter(inSchemas).toList(),
				snapshot.constraints().stream().filter(inSchemas).toList(),
				snapshot.indexes().stream().filter(inSchemas).toList(),
				snapshot.sequences().stream().filter(inSchemas).toList(),
				snapshot.tables().stream().filter(inSchemas).toList());
	}

	@Test
	void thePrintedRestoreCommandRestoresTheBackup(TestDatabase database, PostgresServer server) throws Exception {
		seed(database);
		DatabaseSnapshot beforeBackup = DatabaseSnapshot.of(database);
		BackupRecord backup = PgDumpBackupStrategyTests.strategy(PgDumpBackupStrategyTests.settings(this.temp))
			.backup(PgDumpBackupStrategyTests.request(database));
		try (TestDatabase restored = TestDatabase.create(server)) {
			String command = BackupRestorer.restoreCommand(Path.of(backup.location()), PgDumpFormat.CUSTOM,
					PgConnection.of(restored.dataSource()));
			assertThat(command).doesNotContain(restored.password());
			ProcessBuilder shell = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
			// The operator types the password at the prompt or keeps it in PGPASSWORD / ~/.pgpass.
			shell.environment().putAll(Map.of("PGPASSWORD", restored.password()));
			Process process = shell.start();
			String output = new String(process.getInputStream().readAllBytes());
			assertThat(process.waitFor()).as(output).isZero();
			assertThat(DatabaseSnapshot.of(restored)).isEqualTo(beforeBackup);
		}
	}

	@Test
	void restoringAMissingFileIsANamedError(TestDatabase database) {
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> new BackupRestorer(null, Duration.ofMinutes(1)).restore(this.temp.resolve("nope.dump"),
					database.dataSource()))
			.withMessageContaining("No backup at");
	}

	/**
	 * Schema version 1 of {@code db/basic} plus data of many types outside any
	 * migration, with a sequence that has moved, a view, an index and a foreign key.
	 */
	private static void seed(TestDatabase database) {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		for (String sql : List.of(
				"CREATE TABLE customer (id bigserial PRIMARY KEY, name text NOT NULL, tags text[], data jsonb, "
						+ "born date, balance numeric(12, 2), active boolean DEFAULT true, photo bytea)",
				"CREATE TABLE purchase (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), customer_id bigint NOT NULL "
						+ "REFERENCES customer (id) ON DELETE CASCADE, item_id int REFERENCES items (id), at timestamptz NOT NULL)",
				"CREATE INDEX purchase_customer ON purchase (customer_id)",
				"CREATE VIEW big_spenders AS SELECT name FROM customer WHERE balance > 100",
				"INSERT INTO customer (name, tags, data, born, balance, photo) SELECT 'customer ' || g, "
						+ "ARRAY['t' || (g % 3)], jsonb_build_object('n', g, 'quote', 'it''s \"x\"'), "
						+ "date '2000-01-01' + g, g * 1.5, decode(md5(g::text), 'hex') FROM generate_series(1, 500) g",
				"INSERT INTO purchase (customer_id, item_id, at) SELECT (g % 500) + 1, (g % 3) + 1, "
						+ "timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' FROM generate_series(1, 2000) g",
				"UPDATE customer SET name = 'Zoë ; ''quoted'' \\ back' WHERE id = 7")) {
			database.jdbc().execute(sql);
		}
	}

}
