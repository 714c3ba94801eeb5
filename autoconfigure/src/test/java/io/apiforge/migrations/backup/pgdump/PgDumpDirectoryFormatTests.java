package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.backup.BackupDirectory;
import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupFileName;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.DirectoryBackupCatalog;
import io.apiforge.migrations.backup.LockedFile;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.testsupport.DatabaseSnapshot;
import io.apiforge.migrations.testsupport.LimitedRole;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code migrations.backup.format=directory} with {@code migrations.backup.jobs}, against
 * a real PostgreSQL and a real {@code pg_dump -Fd -j}: one owner-only directory per
 * backup, verified, restored, retained and listed as one backup.
 */
@WithPostgres
class PgDumpDirectoryFormatTests {

	@TempDir
	Path temp;

	@Test
	void aBackupWithTwoJobsIsAnOwnerOnlyDirectoryWithItsMetadata(TestDatabase database) throws Exception {
		seed(database);
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = PgDumpBackupStrategyTests.strategy(settings(directory, BackupVerification.LIST, 2))
			.backup(PgDumpBackupStrategyTests.request(database));
		String name = PgDumpBackupStrategyTests.backupName(database, "v1_to_v2.dir");
		Path dump = directory.resolve(name);
		assertThat(backup.location()).isEqualTo(dump.toString());
		assertThat(backup.verified()).isTrue();
		assertThat(PgDumpBackupStrategyTests.filesIn(directory)).as("no partial directory, no lock left")
			.containsExactlyInAnyOrder(name, name + ".json");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dump))).isEqualTo("rwx------");
		List<Path> files = filesOf(dump);
		assertThat(files).extracting((file) -> file.getFileName().toString())
			.contains("toc.dat")
			.anyMatch((file) -> file.endsWith(".dat.gz"));
		assertThat(files).allSatisfy((file) -> assertThat(
				PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
		long size = 0;
		for (Path file : files) {
			size += Files.size(file);
		}
		assertThat(backup.sizeBytes()).isEqualTo(size).isPositive();
		// The documented way to check a directory's hash by hand.
		String sha256 = PgDumpBackupStrategyTests
			.run("sh", "-c", "cd '" + dump + "' && LC_ALL=C sha256sum $(LC_ALL=C ls) | sha256sum")
			.split(" ")[0];
		assertThat(Files.readString(directory.resolve(name + ".json"))).contains("\"format\": \"directory\"")
			.contains("\"sizeBytes\": " + size)
			.contains("\"sha256\": \"" + sha256 + "\"")
			.contains("\"--jobs=2\"")
			.contains("\"restoreCommand\": \"pg_restore --exit-on-error --no-owner --jobs=2")
			.doesNotContain(database.password());
		assertThat(PgDumpBackupStrategyTests.run(PgClientWrappers.real("pg_restore").toString(), "--list",
				dump.toString()))
			.contains("TABLE DATA public items")
			.contains("TABLE DATA public orders");
	}

	@Test
	void aBackupWithTwoJobsRestoresWithTwoJobsIntoAFreshDatabaseWithEveryRow(TestDatabase database,
			PostgresServer server) {
		seed(database);
		DatabaseSnapshot before = DatabaseSnapshot.of(database);
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(settings(this.temp.resolve("backups"), BackupVerification.LIST, 2))
			.backup(PgDumpBackupStrategyTests.request(database));
		try (TestDatabase restored = TestDatabase.create(server)) {
			new BackupRestorer(null, Duration.ofMinutes(1), 2).restore(Path.of(backup.location()),
					restored.dataSource());
			assertThat(DatabaseSnapshot.of(restored)).isEqualTo(before);
			assertThat(rows(restored)).isEqualTo(rows(database)).contains("items 1003", "orders 5000");
		}
	}

	@Test
	void verificationByARestoreWithTwoJobsPassesAndDropsItsTemporaryDatabase(TestDatabase database) throws Exception {
		seed(database);
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(settings(this.temp.resolve("backups"), BackupVerification.RESTORE, 2))
			.backup(PgDumpBackupStrategyTests.request(database));
		assertThat(backup.verified()).isTrue();
		assertThat(Files.readString(Path.of(backup.location() + ".json"))).contains("\"verify\": \"restore\"")
			.contains("\"verifiedTables\": 3")
			.contains("\"verifiedRows\": " + (1003 + 5000 + 1));
		assertThat(RestoreVerificationTests.temporaryDatabases(database)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(value = BackupVerification.class, names = { "LIST", "RESTORE" })
	void aDirectoryThatLostADataFileFailsVerificationNamingTheTableAndIsDiscarded(BackupVerification verify,
			TestDatabase database) throws Exception {
		seed(database);
		// A dump whose directory loses the data file of one table (a full disk, a cleaner
		// that raced it): pg_restore --list still reads the table of contents.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				"$REAL_PG_DUMP" "$@" || exit $?
				for argument; do
				  case "$argument" in --file=*) output="${argument#--file=}" ;; esac
				done
				rm "$output/$(ls "$output" | grep '\\.dat\\.gz$' | head -n 1)"
				""");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(BackupException.class)
			.isThrownBy(() -> PgDumpBackupStrategyTests.strategy(settings(directory, pgDump, verify, 2))
				.backup(PgDumpBackupStrategyTests.request(database)))
			.withMessageMatching("Verification of the backup failed: the directory lacks the data files of 1 tables "
					+ "its table of contents lists: \\d+\\.dat\\* \\(public (items|orders|flyway_schema_history)\\)")
			.satisfies((ex) -> assertThat(ex.getAction()).startsWith("The dump is incomplete and was discarded."));
		assertThat(PgDumpBackupStrategyTests.filesIn(directory)).isEmpty();
		assertThat(RestoreVerificationTests.temporaryDatabases(database)).isEmpty();
	}

	@Test
	void retentionDeletesWholeDirectoriesAndTheCatalogListsEachAsOneBackupOfItsTotalSize(TestDatabase database)
			throws Exception {
		seed(database);
		Path directory = this.temp.resolve("backups");
		PgDumpBackupStrategy strategy = new PgDumpBackupStrategy(
				new PgDumpSettings(directory, null, PgDumpFormat.DIRECTORY, BackupScope.DATABASE,
						BackupVerification.LIST, Duration.ofMinutes(1), Duration.ofSeconds(1), 2, 1, 2),
				new BackupRetentionTests.HourlyClock());
		BackupRecord first = strategy.backup(PgDumpBackupStrategyTests.request(database));
		BackupRecord second = strategy.backup(PgDumpBackupStrategyTests.request(database));
		assertThat(Path.of(first.location())).isDirectory();
		BackupRecord third = strategy.backup(PgDumpBackupStrategyTests.request(database));
		assertThat(Path.of(first.location())).as("the oldest of three, with keep-last=2").doesNotExist();
		assertThat(Path.of(first.location() + ".json")).doesNotExist();
		String onRequest = strategy
			.backup(new BackupRequest(database.dataSource(), List.of(), "1", "1", 0, BackupKind.ON_REQUEST))
			.location();
		assertThat(PgDumpBackupStrategyTests.filesIn(directory)).containsExactlyInAnyOrder(name(second), name(third),
				name(second) + ".json", name(third) + ".json", Path.of(onRequest).getFileName().toString(),
				Path.of(onRequest).getFileName() + ".json");
		List<BackupRecord> listed = new DirectoryBackupCatalog(directory, database.dataSource(), List.of()).list();
		assertThat(listed).extracting(BackupRecord::location)
			.containsExactly(onRequest, third.location(), second.location());
		assertThat(listed.get(1).sizeBytes()).isEqualTo(third.sizeBytes())
			.isEqualTo(BackupDirectory.sizeOf(Path.of(third.location())));
	}

	@Test
	void aPartialDirectoryOfADeadProcessIsDeletedAndOneBeingWrittenIsKept(TestDatabase database) throws Exception {
		seed(database);
		Path directory = this.temp.resolve("backups");
		Files.createDirectories(directory);
		Path dead = directory
			.resolve(BackupFileName.partial(PgDumpBackupStrategyTests.backupName(database, "v0_to_v1.dir")));
		Files.createDirectory(dead);
		Files.writeString(dead.resolve("toc.dat"), "half a dump");
		// The lock is there, but its process is gone: nobody holds it.
		Files.writeString(LockedFile.lockOf(dead), "");
		Path orphanLock = LockedFile.lockOf(directory
			.resolve(BackupFileName.partial(PgDumpBackupStrategyTests.backupName(database, "v0_to_v1_1.dir"))));
		Files.writeString(orphanLock, "");
		Path live = directory
			.resolve(BackupFileName.partial(PgDumpBackupStrategyTests.backupName(database, "v0_to_v1_2.dir")));
		try (DumpDirectory writing = DumpDirectory.create(live)) {
			PgDumpBackupStrategyTests.strategy(settings(directory, BackupVerification.LIST, 2))
				.backup(PgDumpBackupStrategyTests.request(database));
			assertThat(dead).doesNotExist();
			assertThat(LockedFile.lockOf(dead)).doesNotExist();
			assertThat(orphanLock).doesNotExist();
			assertThat(live).isDirectory();
			assertThat(LockedFile.lockOf(live)).exists();
		}
		assertThat(live).as("closed without being renamed").doesNotExist();
		assertThat(LockedFile.lockOf(live)).doesNotExist();
	}

	@Test
	void aServerThatRefusesTheJobsConnectionsFailsTheBackupSayingHowManyItNeeds(TestDatabase database) {
		try (LimitedRole limited = LimitedRole.create(database)) {
			// A schema of the role's own, so that it may dump it.
			database.jdbc().execute("GRANT CREATE ON DATABASE " + database.name() + " TO " + limited.name());
			JdbcTemplate asLimited = new JdbcTemplate(limited.dataSource());
			asLimited.execute("CREATE SCHEMA app");
			try {
				asLimited.execute("CREATE TABLE app.t AS SELECT g AS id FROM generate_series(1, 10) g");
				// One connection, and pg_dump --jobs=2 wants three. (A limit of two, which should
				// refuse one worker, let the dump through in one run of two here.)
				database.jdbc().execute("ALTER ROLE " + limited.name() + " CONNECTION LIMIT 1");
				PgDumpSettings settings = new PgDumpSettings(this.temp.resolve("backups"), null,
						PgDumpFormat.DIRECTORY, BackupScope.SCHEMAS, BackupVerification.LIST, Duration.ofMinutes(1),
						Duration.ofSeconds(1), 10, 5, 2);
				assertThatExceptionOfType(BackupException.class)
					.isThrownBy(() -> PgDumpBackupStrategyTests.strategy(settings)
						.backup(new BackupRequest(limited.dataSource(), List.of("app"), "1", "2", 1)))
					.withMessageContaining("too many connections for role")
					.satisfies((ex) -> assertThat(ex.getAction()).startsWith("The server refused a connection: "
							+ "pg_dump --jobs=2 (migrations.backup.jobs) opens up to 3 connections at once")
						.contains("Lower migrations.backup.jobs"));
			}
			finally {
				asLimited.execute("DROP SCHEMA app CASCADE");
				database.jdbc().execute("REVOKE CREATE ON DATABASE " + database.name() + " FROM " + limited.name());
			}
		}
	}

	@Test
	void theLifecycleBacksUpWithTheJobsItIsConfiguredWith(TestDatabase database) {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.strategy=pg-dump", "migrations.backup.directory=" + this.temp,
					"migrations.backup.format=directory", "migrations.backup.jobs=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BackupStrategy.class).describe())
					.startsWith("pg-dump (directory format, 3 jobs, ");
				BackupRecord backup = context.getBean(MigrationStatusHolder.class).current().lastBackup();
				assertThat(Path.of(backup.location())).isDirectory();
				assertThat(backup.location()).endsWith("_pre-migration_v1_to_v2.dir");
				assertThat(Files.readString(Path.of(backup.location() + ".json"))).contains("\"--jobs=3\"");
			});
	}

	@Test
	void moreThanOneJobNeedsTheDirectoryFormat() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new PgDumpSettings(this.temp, null, PgDumpFormat.CUSTOM, BackupScope.DATABASE,
					BackupVerification.LIST, Duration.ofMinutes(1), Duration.ofSeconds(1), 10, 5, 2))
			.withMessageContaining("directory format");
	}

	@Test
	void theStrategyDescribesItsFormatAndJobs() {
		assertThat(new PgDumpBackupStrategy(settings(this.temp, BackupVerification.LIST, 4), Clock.system(ZoneOffset.UTC))
			.describe()).startsWith("pg-dump (directory format, 4 jobs, whole database, verified)");
	}

	/**
	 * Version 1 of the basic migrations with three tables of data, so that two jobs have
	 * something to share.
	 */
	private static void seed(TestDatabase database) {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		database.jdbc().execute("INSERT INTO items SELECT 10 + g, 'item ' || g FROM generate_series(1, 1000) g");
		database.jdbc()
			.execute("CREATE TABLE orders AS SELECT g AS id, md5(g::text) AS reference FROM generate_series(1, 5000) g");
	}

	private static List<String> rows(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT relname || ' ' || (xpath('/row/c/text()', query_to_xml('SELECT count(*) AS c FROM '"
					+ " || oid::regclass, false, true, '')))[1]::text FROM pg_class WHERE relkind = 'r' "
					+ "AND relnamespace = 'public'::regnamespace ORDER BY relname", String.class);
	}

	private static String name(BackupRecord backup) {
		return Path.of(backup.location()).getFileName().toString();
	}

	private static List<Path> filesOf(Path directory) throws Exception {
		try (Stream<Path> files = Files.list(directory)) {
			return files.toList();
		}
	}

	private static PgDumpSettings settings(Path directory, BackupVerification verify, int jobs) {
		return settings(directory, null, verify, jobs);
	}

	private static PgDumpSettings settings(Path directory, Path pgDump, BackupVerification verify, int jobs) {
		return new PgDumpSettings(directory, pgDump, PgDumpFormat.DIRECTORY, BackupScope.DATABASE, verify,
				Duration.ofMinutes(1), Duration.ofSeconds(1), 10, 5, jobs);
	}

}
