package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupFileName;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.DatabaseIdentity;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.testsupport.DatabaseSnapshot;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code jdbc} backup: a rich schema and awkward data dumped over JDBC restore with
 * {@code psql} alone to the same catalog and the same rows; what it cannot rebuild
 * makes it fail, naming it; a damaged file fails verification.
 */
@WithPostgres
class JdbcBackupStrategyTests {

	private static final Instant NOW = Instant.parse("2026-11-30T10:15:00Z");

	@TempDir
	Path temp;

	@Test
	void aRichSchemaRestoresWithPsqlToTheSameCatalogAndRows(TestDatabase database, PostgresServer server)
			throws Exception {
		RichSchema.create(database);
		DatabaseSnapshot before = DatabaseSnapshot.of(database);
		List<String> definitionsBefore = RichSchema.definitions(database);
		BackupRecord backup = strategy(BackupScope.DATABASE).backup(request(database));
		assertThat(backup.strategy()).isEqualTo("jdbc");
		assertThat(backup.verified()).isTrue();
		Path file = Path.of(backup.location());
		assertThat(file.getFileName().toString())
			.isEqualTo(BackupFileName.prefix(DatabaseIdentity.read(database.dataSource(), List.of()))
					+ "20261130T101500Z_pre-migration_v1_to_v2.sql.gz");
		assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
			.containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
		String sidecar = Files.readString(file.resolveSibling(file.getFileName() + ".json"));
		assertThat(sidecar).contains("\"strategy\": \"jdbc\"").contains("\"\\\"Sales\\\".\\\"Customer\\\"\": 203");
		try (TestDatabase restored = TestDatabase.create(server)) {
			psql(JdbcBackupStrategy.restoreCommand(file, database.dataSource()), restored);
			DatabaseSnapshot after = DatabaseSnapshot.of(restored);
			assertThat(after.columns()).isEqualTo(before.columns());
			assertThat(after.constraints()).isEqualTo(before.constraints());
			assertThat(after.indexes()).isEqualTo(before.indexes());
			assertThat(after.sequences()).isEqualTo(before.sequences());
			assertThat(after.tables()).isEqualTo(before.tables());
			assertThat(RichSchema.definitions(restored)).isEqualTo(definitionsBefore);
		}
		try (TestDatabase restored = TestDatabase.create(server)) {
			new JdbcBackupRestorer().restore(file, restored.dataSource());
			assertThat(DatabaseSnapshot.of(restored)).isEqualTo(before);
			assertThat(RichSchema.definitions(restored)).isEqualTo(definitionsBefore);
			assertThat(restored.jdbc().queryForObject("SHOW search_path", String.class))
				.as("the script's settings do not stay on the pooled connection").isNotEmpty().isNotEqualTo("\"\"");
		}
	}

	@Test
	void aJdbcRoundTripGivesWhatAPgDumpRoundTripGives(TestDatabase database, PostgresServer server) throws Exception {
		RichSchema.create(database);
		BackupRecord backup = strategy(BackupScope.DATABASE).backup(request(database));
		try (TestDatabase viaJdbc = TestDatabase.create(server); TestDatabase viaPgDump = TestDatabase.create(server)) {
			psql(JdbcBackupStrategy.restoreCommand(Path.of(backup.location()), database.dataSource()), viaJdbc);
			String pgDump = JdbcBackupStrategy.restoreCommand(Path.of("/dev/null"), database.dataSource())
				.replace("gunzip -c /dev/null", "PGPASSWORD=\"$SOURCE_PASSWORD\" pg_dump --no-owner" + connection(database));
			ProcessBuilder shell = new ProcessBuilder("bash", "-c",
					"set -o pipefail; " + pgDump.replace("<new database>", viaPgDump.name()))
				.redirectErrorStream(true);
			if (database.password() != null) {
				shell.environment().put("SOURCE_PASSWORD", database.password());
				shell.environment().put("PGPASSWORD", viaPgDump.password());
			}
			Process process = shell.start();
			String output = new String(process.getInputStream().readAllBytes());
			assertThat(process.waitFor()).as(output).isZero();
			assertThat(DatabaseSnapshot.of(viaJdbc)).isEqualTo(DatabaseSnapshot.of(viaPgDump));
			assertThat(RichSchema.definitions(viaJdbc)).isEqualTo(RichSchema.definitions(viaPgDump));
		}
	}

	private static String connection(TestDatabase database) {
		String command = JdbcBackupStrategy.restoreCommand(Path.of("/dev/null"), database.dataSource());
		return command.substring(command.indexOf(" --host="), command.indexOf(" --dbname=")) + " --dbname="
				+ database.name();
	}

	@Test
	void aRestoreThatFailsKeepsNothing(TestDatabase database, PostgresServer server) {
		database.jdbc().execute("CREATE TABLE t (id int PRIMARY KEY)");
		database.jdbc().execute("INSERT INTO t SELECT generate_series(1, 10)");
		BackupRecord backup = strategy(BackupScope.DATABASE).backup(request(database));
		try (TestDatabase restored = TestDatabase.create(server)) {
			restored.jdbc().execute("CREATE TABLE t (id int)");
			assertThatExceptionOfType(BackupException.class)
				.isThrownBy(() -> new JdbcBackupRestorer().restore(Path.of(backup.location()), restored.dataSource()))
				.withMessageContaining("relation \"t\" already exists");
			assertThat(restored.jdbc().queryForObject("SELECT count(*) FROM t", Long.class)).isZero();
		}
	}

	@Test
	void aPartitionedTableIsCopiedPartitionByPartition(TestDatabase database) throws Exception {
		RichSchema.create(database);
		BackupRecord backup = strategy(BackupScope.DATABASE).backup(request(database));
		ScriptCheck.Contents contents = ScriptCheck.read(Path.of(backup.location()));
		assertThat(contents.complete()).isTrue();
		assertThat(contents.rows()).containsEntry("\"Sales\".events_2025", 100L).containsEntry("\"Sales\".events_2026", 100L)
			.doesNotContainKey("\"Sales\".events");
	}

	@Test
	void aSchemaScopedBackupHoldsOnlyThoseSchemas(TestDatabase database, PostgresServer server) throws Exception {
		RichSchema.create(database);
		database.jdbc().execute("CREATE TABLE public.elsewhere (id int)");
		BackupRecord backup = strategy(BackupScope.SCHEMAS)
			.backup(new BackupRequest(database.dataSource(), List.of("Sales"), "1", "2", 1));
		ScriptCheck.Contents contents = ScriptCheck.read(Path.of(backup.location()));
		assertThat(contents.rows().keySet()).allMatch((table) -> table.startsWith("\"Sales\"."));
	}

	@Test
	void anObjectItCannotRebuildFailsTheBackupNamingItAndLeavesNoFile(TestDatabase database) throws IOException {
		database.jdbc().execute("CREATE TABLE t (id int)");
		database.jdbc().execute("CREATE RULE no_deletes AS ON DELETE TO t DO INSTEAD NOTHING");
		database.jdbc().execute("CREATE POLICY mine ON t USING (true)");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(BackupScope.DATABASE).backup(request(database)))
			.withMessageContaining("rule no_deletes on public.t")
			.withMessageContaining("policy mine on public.t")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("migrations.backup.strategy=pg-dump"));
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(BackupScope.DATABASE).check(database.dataSource()))
			.withMessageContaining("rule no_deletes on public.t");
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void aTruncatedScriptFailsVerification(TestDatabase database) throws Exception {
		database.jdbc().execute("CREATE TABLE t (id int)");
		database.jdbc().execute("INSERT INTO t SELECT generate_series(1, 10)");
		BackupRecord backup = strategy(BackupScope.DATABASE).backup(request(database));
		Path file = Path.of(backup.location());
		ScriptCheck.Contents contents = ScriptCheck.read(file);
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> ScriptCheck.check(file, contents.statements(), Map.of("public.t", 11L)))
			.withMessageContaining("it holds 10 rows of public.t where 11 were copied");
		byte[] bytes = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> ScriptCheck.check(file, contents.statements(), contents.rows()))
			.withMessageContaining("failed");
	}

	@Test
	void backupsAreKeptPerDatabaseAndKindLeavingOtherFilesAlone(TestDatabase database) throws Exception {
		database.jdbc().execute("CREATE TABLE t (id int)");
		Files.writeString(this.temp.resolve("20260101T000000Z_v0_to_v1.sql.gz"), "a jdbc backup named the older way");
		Files.writeString(this.temp.resolve("20260101T000000Z_v0_to_v1.sql.gz.json"), "{}");
		Files.writeString(this.temp.resolve("other@0123abcd_20260101T000000Z_pre-migration_v0_to_v1.sql.gz"), "x");
		Instant[] now = { NOW };
		Clock hourly = new Clock() {

			@Override
			public Instant instant() {
				now[0] = now[0].plus(Duration.ofHours(1));
				return now[0];
			}

			@Override
			public java.time.ZoneId getZone() {
				return ZoneOffset.UTC;
			}

			@Override
			public Clock withZone(java.time.ZoneId zone) {
				return this;
			}

		};
		JdbcBackupStrategy strategy = new JdbcBackupStrategy(
				new JdbcBackupSettings(this.temp, BackupScope.DATABASE, true, Duration.ofMinutes(1), 2, 1), hourly);
		List<String> preMigration = new java.util.ArrayList<>();
		List<String> onRequest = new java.util.ArrayList<>();
		for (int i = 0; i < 3; i++) {
			preMigration.add(Path.of(strategy.backup(request(database)).location()).getFileName().toString());
			onRequest.add(Path.of(strategy
				.backup(new BackupRequest(database.dataSource(), List.of(), "2", null, 1, BackupKind.ON_REQUEST))
				.location()).getFileName().toString());
		}
		try (Stream<Path> files = Files.list(this.temp)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder(
					preMigration.get(1), preMigration.get(1) + ".json", preMigration.get(2), preMigration.get(2) + ".json",
					onRequest.get(2), onRequest.get(2) + ".json", "20260101T000000Z_v0_to_v1.sql.gz",
					"20260101T000000Z_v0_to_v1.sql.gz.json", "other@0123abcd_20260101T000000Z_pre-migration_v0_to_v1.sql.gz");
		}
		assertThat(Files.readString(this.temp.resolve(onRequest.get(2) + ".json")))
			.contains("\"kind\": \"on-request\"")
			.contains("\"databaseId\": \"" + DatabaseIdentity.read(database.dataSource(), List.of()).id() + "\"");
	}

	private JdbcBackupStrategy strategy(BackupScope scope) {
		return new JdbcBackupStrategy(new JdbcBackupSettings(this.temp, scope, true, Duration.ofMinutes(1), 3),
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private static BackupRequest request(TestDatabase database) {
		return new BackupRequest(database.dataSource(), List.of(), "1", "2", 1);
	}

	/**
	 * Run a restore command as an operator would, with the password in PGPASSWORD.
	 */
	static void psql(String command, TestDatabase target) throws Exception {
		ProcessBuilder shell = new ProcessBuilder("bash", "-c",
				"set -o pipefail; " + command.replace("<new database>", target.name()))
			.redirectErrorStream(true);
		if (target.password() != null) {
			shell.environment().put("PGPASSWORD", target.password());
		}
		Process process = shell.start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(output).isZero();
	}

}
