package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupFileName;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.DatabaseIdentity;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.PostgresServers;
import io.apiforge.migrations.testsupport.RootCheck;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code pg_dump} strategy against a real PostgreSQL and a real {@code pg_dump}: what
 * a backup is, and how each fault ends (a named error, no partial file).
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class PgDumpBackupStrategyTests {

	private static final Instant NOW = Instant.parse("2026-11-24T10:15:00Z");

	@TempDir
	Path temp;

	@Test
	void aBackupIsACompleteVerifiedOwnerOnlyFileWithItsMetadata(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = strategy(settings(directory)).backup(request(database));
		Path file = directory.resolve(backupName(database, "v1_to_v2.dump"));
		assertThat(backup.location()).isEqualTo(file.toString());
		assertThat(backup.strategy()).isEqualTo("pg-dump");
		assertThat(backup.verified()).isTrue();
		assertThat(backup.sizeBytes()).isEqualTo(Files.size(file)).isPositive();
		assertThat(backup.fromVersion()).isEqualTo("1");
		assertThat(backup.toVersion()).isEqualTo("2");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions
			.toString(Files.getPosixFilePermissions(directory.resolve(backupName(database, "v1_to_v2.dump.json")))))
			.isEqualTo("rw-------");
		assertThat(filesIn(directory)).containsExactlyInAnyOrder(backupName(database, "v1_to_v2.dump"),
				backupName(database, "v1_to_v2.dump.json"));
		String metadata = Files.readString(directory.resolve(backupName(database, "v1_to_v2.dump.json")));
		assertThat(metadata).contains("\"sha256\": \"" + sha256(file) + "\"")
			.contains("\"sizeBytes\": " + Files.size(file))
			.contains("\"fromVersion\": \"1\"")
			.contains("\"toVersion\": \"2\"")
			.contains("\"strategy\": \"pg-dump\"")
			.contains("\"format\": \"custom\"")
			.contains("\"verified\": true")
			.contains("\"serverVersion\": \"15.")
			.contains("\"pgDumpVersion\": \"")
			.contains("\"restoreCommand\": \"pg_restore --exit-on-error --no-owner")
			.contains("\"scope\": \"database\"")
			.contains("\"schemas\": [\"public\"]")
			.doesNotContain(database.password());
		assertThat(run(PgClientWrappers.real("pg_restore").toString(), "--list", file.toString()))
			.contains("TABLE public items").contains("TABLE DATA public items");
	}

	@Test
	void thePasswordReachesPgDumpOnlyThroughAnOwnerOnlyPassfile(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path seen = this.temp.resolve("seen");
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				tr '\\0' ' ' < /proc/$$/cmdline > '%1$s/cmdline'
				tr '\\0' '\\n' < /proc/$$/environ > '%1$s/environ'
				stat -c %%a "$PGPASSFILE" > '%1$s/passfile-mode'
				stat -c %%a "$(dirname "$PGPASSFILE")" > '%1$s/passfile-directory-mode'
				cat "$PGPASSFILE" > '%1$s/passfile'
				exec "$REAL_PG_DUMP" "$@"
				""".formatted(seen));
		Files.createDirectories(seen);
		BackupRecord backup = strategy(settings(this.temp.resolve("backups"), pgDump)).backup(request(database));
		assertThat(backup.verified()).as("the server checks passwords, so the dump proves the password arrived").isTrue();
		assertThat(Files.readString(seen.resolve("cmdline"))).contains("--format=custom")
			.contains("--no-password")
			.doesNotContain(database.password());
		assertThat(Files.readString(seen.resolve("environ"))).contains("PGPASSFILE=")
			.contains("PGUSER=" + database.username())
			.contains("PGDATABASE=" + database.name())
			.doesNotContain(database.password())
			.doesNotContain("PGPASSWORD");
		assertThat(Files.readString(seen.resolve("passfile-mode")).strip()).isEqualTo("600");
		assertThat(Files.readString(seen.resolve("passfile-directory-mode")).strip()).isEqualTo("700");
		assertThat(Files.readString(seen.resolve("passfile"))).contains(database.password());
		String passFile = Files.readAllLines(seen.resolve("environ"))
			.stream()
			.filter((line) -> line.startsWith("PGPASSFILE="))
			.findFirst()
			.orElseThrow()
			.substring("PGPASSFILE=".length());
		assertThat(Path.of(passFile)).as("the passfile is deleted after the dump").doesNotExist();
		assertThat(Path.of(passFile).getParent()).as("and its private directory").doesNotExist();
	}

	@Test
	void aPlainBackupIsAScriptVerifiedByItsTrailer(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = strategy(new PgDumpSettings(directory, null, PgDumpFormat.PLAIN, BackupScope.DATABASE,
				true, Duration.ofMinutes(1), Duration.ofSeconds(1), 10))
			.backup(request(database));
		assertThat(backup.location()).endsWith(backupName(database, "v1_to_v2.sql"));
		assertThat(backup.verified()).isTrue();
		assertThat(Files.readString(Path.of(backup.location()))).contains("CREATE TABLE public.items")
			.contains("PostgreSQL database dump complete");
	}

	@Test
	void theSchemasScopeDumpsOnlyTheSchemasFlywayManages(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		database.jdbc().execute("CREATE SCHEMA app");
		database.jdbc().execute("CREATE TABLE app.orders (id int PRIMARY KEY)");
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = strategy(new PgDumpSettings(directory, null, PgDumpFormat.CUSTOM, BackupScope.SCHEMAS,
				true, Duration.ofMinutes(1), Duration.ofSeconds(1), 10))
			.backup(new BackupRequest(database.dataSource(), List.of("app"), "1", "2", 1));
		String contents = run(PgClientWrappers.real("pg_restore").toString(), "--list", backup.location());
		assertThat(contents).contains("TABLE app orders").doesNotContain("items");
		assertThat(Files.readString(Path.of(backup.location() + ".json"))).contains("\"scope\": \"schemas\"")
			.contains("\"schemas\": [\"app\"]");
	}

	@Test
	void schemasReachPgDumpAsExactNames(TestDatabase database) throws Exception {
		createSchemas(database, "Billing", "billing", "a.b", "x*y", "xzzy");
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = strategy(schemaSettings(directory, PgDumpFormat.CUSTOM, null))
			.backup(new BackupRequest(database.dataSource(), List.of("Billing", "a.b", "x*y"), "1", "2", 1));
		String contents = run(PgClientWrappers.real("pg_restore").toString(), "--list", backup.location());
		assertThat(contents).contains("TABLE Billing t").contains("TABLE a.b t").contains("TABLE x*y t")
			.doesNotContain("TABLE billing t").doesNotContain("TABLE xzzy t");
		assertThat(Files.readString(Path.of(backup.location() + ".json")))
			.contains("\"schemas\": [\"Billing\", \"a.b\", \"x*y\"]")
			.contains("\"--strict-names\", \"--schema=\\\"Billing\\\"\", \"--schema=\\\"a.b\\\"\"");
	}

	@ParameterizedTest
	@EnumSource(PgDumpFormat.class)
	void aSchemaMissingFromTheArchiveFailsTheBackup(PgDumpFormat format, TestDatabase database) throws Exception {
		createSchemas(database, "app", "Billing");
		// A pg_dump that leaves one schema out, as an unquoted pattern folded to lower case did.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				for argument; do
				  shift
				  [ "$argument" = '--schema="Billing"' ] || set -- "$@" "$argument"
				done
				exec "$REAL_PG_DUMP" "$@"
				""");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(IncompleteBackupException.class)
			.isThrownBy(() -> strategy(schemaSettings(directory, format, pgDump))
				.backup(new BackupRequest(database.dataSource(), List.of("app", "Billing"), "1", "2", 1)))
			.withMessage("The backup does not hold schema \"Billing\" although migrations.backup.scope=schemas asked "
					+ "for \"app\", \"Billing\"; its table of contents names \"app\". The backup was discarded")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("spring.flyway.schemas"));
		assertThat(filesIn(directory)).isEmpty();
	}

	@Test
	void aSchemaWithTablesMissingFromAWholeDatabaseBackupFailsIt(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		createSchemas(database, "other");
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"),
				"exec \"$REAL_PG_DUMP\" --exclude-schema=other \"$@\"");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(IncompleteBackupException.class)
			.isThrownBy(() -> strategy(settings(directory, pgDump)).backup(request(database)))
			.withMessage("The backup of the whole database does not hold schema \"other\", which holds tables; its "
					+ "table of contents names \"public\". The backup was discarded");
		assertThat(filesIn(directory)).isEmpty();
	}

	@Test
	void aSchemaThatDoesNotExistFailsTheBackup(TestDatabase database) throws IOException {
		createSchemas(database, "billing");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(schemaSettings(directory, PgDumpFormat.CUSTOM, null))
				.backup(new BackupRequest(database.dataSource(), List.of("Billing"), "1", "2", 1)))
			.withMessageContaining("no matching schemas were found for pattern \"\"Billing\"\"");
		assertThat(filesIn(directory)).isEmpty();
	}

	@Test
	void theSchemasScopeWithoutFlywaySchemasDumpsTheDefaultSchemaOnly(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		createSchemas(database, "other");
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = strategy(schemaSettings(directory, PgDumpFormat.CUSTOM, null)).backup(request(database));
		String contents = run(PgClientWrappers.real("pg_restore").toString(), "--list", backup.location());
		assertThat(contents).contains("TABLE public items").doesNotContain("other");
		assertThat(Files.readString(Path.of(backup.location() + ".json"))).contains("\"scope\": \"schemas\"")
			.contains("\"schemas\": [\"public\"]");
	}

	@Test
	void theDatabaseScopeBacksUpDataOutsideFlywaysSchemasBeforeTheFirstMigration(TestDatabase database)
			throws Exception {
		createSchemas(database, "other");
		Path directory = this.temp.resolve("backups");
		BackupRecord[] backup = new BackupRecord[1];
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + directory)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				backup[0] = context.getBean(MigrationStatusHolder.class).current().lastBackup();
			});
		assertThat(backup[0]).isNotNull();
		assertThat(backup[0].fromVersion()).isNull();
		assertThat(run(PgClientWrappers.real("pg_restore").toString(), "--list", backup[0].location()))
			.contains("TABLE DATA other t");
	}

	@Test
	void theSchemasScopeSkipsADatabaseWhoseFlywaySchemasAreEmpty(TestDatabase database, CapturedOutput output) {
		createSchemas(database, "other");
		Path directory = this.temp.resolve("backups");
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.directory=" + directory, "migrations.backup.scope=schemas")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(directory).doesNotExist();
		assertThat(output).contains("No backup taken: the database is empty (no schema history table, no table in "
				+ "the default schema)");
	}

	static void createSchemas(TestDatabase database, String... schemas) {
		for (String schema : schemas) {
			String quoted = "\"" + schema.replace("\"", "\"\"") + "\"";
			database.jdbc().execute("CREATE SCHEMA " + quoted);
			database.jdbc().execute("CREATE TABLE " + quoted + ".t (id int PRIMARY KEY, name text)");
			database.jdbc().execute("INSERT INTO " + quoted + ".t SELECT g, 'row ' || g FROM generate_series(1, 10) g");
		}
	}

	static PgDumpSettings schemaSettings(Path directory, PgDumpFormat format, Path pgDump) {
		return new PgDumpSettings(directory, pgDump, format, BackupScope.SCHEMAS, true, Duration.ofMinutes(1),
				Duration.ofSeconds(1), 10);
	}

	@Test
	void retentionNeverTouchesOtherFilesNorBackupsNamedBeforeNamesCarriedTheDatabase(TestDatabase database)
			throws Exception {
		migrateToVersion1(database);
		Path directory = Files.createDirectories(this.temp.resolve("backups"));
		for (String old : List.of("20261101T000000Z_v0_to_v1.dump", "20261110T000000Z_v1_to_v2.dump",
				"20261120T000000Z_v1_to_v2.dump")) {
			Files.writeString(directory.resolve(old), "old");
			Files.writeString(directory.resolve(old + ".json"), "{}");
		}
		Files.writeString(directory.resolve("notes.txt"), "an operator's file");
		Files.writeString(directory.resolve("20261001T000000Z_v0_to_v1.dump"), "no sidecar: not ours");
		PgDumpBackupStrategy strategy = strategy(new PgDumpSettings(directory, null, PgDumpFormat.CUSTOM,
				BackupScope.DATABASE, true, Duration.ofMinutes(1), Duration.ofSeconds(1), 1));
		strategy.backup(request(database));
		strategy.backup(request(database));
		assertThat(filesIn(directory)).containsExactlyInAnyOrder(backupName(database, "v1_to_v2_1.dump"),
				backupName(database, "v1_to_v2_1.dump.json"), "20261101T000000Z_v0_to_v1.dump",
				"20261101T000000Z_v0_to_v1.dump.json", "20261110T000000Z_v1_to_v2.dump",
				"20261110T000000Z_v1_to_v2.dump.json", "20261120T000000Z_v1_to_v2.dump",
				"20261120T000000Z_v1_to_v2.dump.json", "notes.txt", "20261001T000000Z_v0_to_v1.dump");
	}

	@Test
	void twoBackupsInTheSameSecondGetDistinctNames(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path directory = this.temp.resolve("backups");
		PgDumpBackupStrategy strategy = strategy(settings(directory));
		strategy.backup(request(database));
		BackupRecord second = strategy.backup(request(database));
		assertThat(second.location()).endsWith(backupName(database, "v1_to_v2_1.dump"));
		assertThat(filesIn(directory)).hasSize(4);
	}

	@Test
	void aMissingPgDumpIsRefusedWithTheFix(TestDatabase database) {
		migrateToVersion1(database);
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(settings(directory, Path.of("/nowhere/pg_dump"))).backup(request(database)))
			.withMessage("No executable pg_dump at /nowhere/pg_dump (migrations.backup.pg-dump.path)")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("migrations.backup.pg-dump.path"));
		assertThat(directory).doesNotExist();
	}

	@Test
	void theInstallationCheckFindsTheClientsWithoutRunningThem() throws Exception {
		Path bin = this.temp.resolve("bin");
		Path ran = this.temp.resolve("ran");
		Path pgDump = PgClientWrappers.script(PgClientWrappers.pgDump(bin, ""), "touch '" + ran + "'");
		strategy(settings(this.temp.resolve("backups"), pgDump)).checkInstalled();
		assertThat(ran).as("pg_dump was not run").doesNotExist();
		Files.delete(bin.resolve("pg_restore"));
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(settings(this.temp.resolve("backups"), pgDump)).checkInstalled())
			.withMessage("No executable pg_restore at " + bin.resolve("pg_restore") + " (looked for beside " + pgDump
					+ ", set by migrations.backup.pg-dump.path)");
	}

	@Test
	@EnabledIf("newerBinariesAvailable")
	void aPgDumpOlderThanTheServerIsRefusedNamingBothVersions() throws Exception {
		try (PostgresServer newer = PostgresServers.embedded(newerBinaries());
				TestDatabase database = TestDatabase.create(newer)) {
			migrateToVersion1(database);
			Path directory = this.temp.resolve("backups");
			assertThatExceptionOfType(BackupException.class)
				.isThrownBy(() -> strategy(settings(directory)).backup(request(database)))
				.withMessageMatching("pg_dump 15\\.\\d+ at \\S+ is older than the PostgreSQL 17\\.\\d+ server at "
						+ "localhost:\\d+, and pg_dump cannot back up a server of a newer major version")
				.satisfies((ex) -> assertThat(ex.getAction()).contains("postgresql-client-17")
					.contains("migrations.backup.pg-dump.path")
					.contains("migrations.backup.strategy=none"));
			assertThat(directory).doesNotExist();
		}
	}

	@Test
	void anUnwritableDirectoryIsRefused(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path directory = unwritableDirectory();
		List<String> before = filesIn(directory);
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(settings(directory)).backup(request(database)))
			.withMessageContaining("is not writable by this process");
		assertThat(filesIn(directory)).isEqualTo(before);
	}

	/**
	 * A directory this process cannot write: one without write permission, or, for root,
	 * which permissions do not stop, a directory of procfs (as a read-only volume would
	 * be, which root cannot write either).
	 */
	private Path unwritableDirectory() throws IOException {
		if (RootCheck.isRoot()) {
			return Path.of("/proc/1");
		}
		Path directory = Files.createDirectories(this.temp.resolve("backups"));
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-x------"));
		return directory;
	}

	@Test
	void aFileWhereTheDirectoryShouldBeIsRefused(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path file = Files.writeString(this.temp.resolve("backups"), "not a directory");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(settings(file)).backup(request(database)))
			.withMessageContaining("is not a directory")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("migrations.backup.directory"));
	}

	@Test
	void aTimeoutKillsPgDumpAndLeavesNoPartialFile(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		// Far longer than any test run: a pg_dump that is not killed never ends in time.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), "sleep 600\nexec \"$REAL_PG_DUMP\" \"$@\"");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(new PgDumpSettings(directory, pgDump, PgDumpFormat.CUSTOM, BackupScope.DATABASE,
					true, Duration.ofSeconds(1), Duration.ofMillis(200), 10))
				.backup(request(database)))
			.withMessage("pg_dump did not finish within 1.0 s (migrations.backup.timeout) and was killed; no backup was kept")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("migrations.backup.timeout"));
		assertThat(ProcessHandle.allProcesses()
			.filter((process) -> process.info().commandLine().orElse("").contains(pgDump.toString()))
			.filter(ProcessHandle::isAlive)).as("the pg_dump wrapper, killed").isEmpty();
		assertThat(filesIn(directory)).isEmpty();
	}

	@Test
	void pgDumpKilledMidwayFailsTheBackupAndLeavesNoPartialFile(TestDatabase database, CapturedOutput output)
			throws Exception {
		migrateToVersion1(database);
		// pg_dump's output is cut after 600 000 bytes, and the script that ran it is killed.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				"$REAL_PG_DUMP" "$@" | head -c 600000
				kill -9 $$
				""");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(new PgDumpSettings(directory, pgDump, PgDumpFormat.PLAIN, BackupScope.DATABASE,
					true, Duration.ofMinutes(1), Duration.ofMillis(100), 10))
				.backup(request(database, 500_000)))
			.withMessageStartingWith("pg_dump failed with exit code 137");
		assertThat(filesIn(directory)).isEmpty();
		assertThat(output).contains("pg_dump: ").contains(" bytes written so far");
	}

	@Test
	void aFailedVerificationFailsTheBackup(TestDatabase database) throws Exception {
		migrateToVersion1(database);
		Path bin = this.temp.resolve("bin");
		Path pgDump = PgClientWrappers.pgDump(bin, "exec \"$REAL_PG_DUMP\" \"$@\"");
		PgClientWrappers.script(bin.resolve("pg_restore"), "if [ \"$1\" = --version ]; then exec '"
				+ PgClientWrappers.real("pg_restore") + "' --version; fi\n"
				+ "echo 'pg_restore: error: input file is too short' >&2\nexit 1");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(settings(directory, pgDump)).backup(request(database)))
			.withMessageContaining("Verification of the backup failed: pg_restore --list exited with code 1")
			.withMessageContaining("input file is too short");
		assertThat(filesIn(directory)).isEmpty();
	}

	@Test
	void credentialsPgDumpCannotUseAreANamedError(TestDatabase database) throws IOException {
		migrateToVersion1(database);
		// A data source whose password cannot be read: pg_dump connects without one.
		DataSource opaque = new OpaqueDataSource(database.dataSource());
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> strategy(settings(directory))
				.backup(new BackupRequest(opaque, List.of(), "1", "2", 1)))
			.withMessageStartingWith("pg_dump failed with exit code 1")
			.withMessageContaining("no password supplied")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("user and password"));
		assertThat(filesIn(directory)).isEmpty();
	}

	@Test
	void settingsRefuseToKeepNoBackup() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new PgDumpSettings(this.temp, null, PgDumpFormat.CUSTOM, BackupScope.DATABASE, true,
					Duration.ofMinutes(1), Duration.ofSeconds(1), 0))
			.withMessageContaining("'keepLast' must be at least 1");
	}

	static void migrateToVersion1(TestDatabase database) {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
	}

	static PgDumpSettings settings(Path directory) {
		return settings(directory, null);
	}

	static PgDumpSettings settings(Path directory, Path pgDump) {
		return new PgDumpSettings(directory, pgDump, PgDumpFormat.CUSTOM, BackupScope.DATABASE, true,
				Duration.ofMinutes(1), Duration.ofSeconds(1), 10);
	}

	/**
	 * The name of a backup before a migration of a database, taken at {@link #NOW}.
	 */
	static String backupName(TestDatabase database, String versions) throws Exception {
		return BackupFileName.prefix(DatabaseIdentity.read(database.dataSource(), List.of()))
				+ "20261124T101500Z_pre-migration_" + versions;
	}

	static PgDumpBackupStrategy strategy(PgDumpSettings settings) {
		return new PgDumpBackupStrategy(settings, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	static BackupRequest request(TestDatabase database) {
		return new BackupRequest(database.dataSource(), List.of(), "1", "2", 1);
	}

	private static BackupRequest request(TestDatabase database, int fillerRows) {
		database.jdbc()
			.execute("CREATE TABLE filler AS SELECT g AS id, md5(g::text) AS data FROM generate_series(1, " + fillerRows
					+ ") g");
		return request(database);
	}

	static List<String> filesIn(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).toList();
		}
	}

	static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<String> output = CompletableFuture
			.supplyAsync(() -> readQuietly(process));
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
		return output.get();
	}

	private static String readQuietly(Process process) {
		try {
			return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private static String sha256(Path file) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
	}

	static boolean newerBinariesAvailable() {
		return Files.isRegularFile(newerBinaries()) && System.getProperty("os.arch").matches("amd64|x86_64");
	}

	private static Path newerBinaries() {
		return Path.of("target/postgres-binaries/postgres-newer-binaries.jar");
	}

	/**
	 * A data source of a type Spring Boot cannot read the credentials of.
	 */
	private record OpaqueDataSource(DataSource delegate) implements DataSource {

		@Override
		public Connection getConnection() throws SQLException {
			return this.delegate.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return this.delegate.getConnection(username, password);
		}

		@Override
		public PrintWriter getLogWriter() {
			return null;
		}

		@Override
		public void setLogWriter(PrintWriter out) {
		}

		@Override
		public void setLoginTimeout(int seconds) {
		}

		@Override
		public int getLoginTimeout() {
			return 0;
		}

		@Override
		public Logger getParentLogger() throws SQLFeatureNotSupportedException {
			throw new SQLFeatureNotSupportedException();
		}

		@Override
		public <T> T unwrap(Class<T> iface) throws SQLException {
			throw new SQLException("not a wrapper");
		}

		@Override
		public boolean isWrapperFor(Class<?> iface) {
			return false;
		}

	}

}
