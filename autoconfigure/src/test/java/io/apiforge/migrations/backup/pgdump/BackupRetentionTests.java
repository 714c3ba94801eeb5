package io.apiforge.migrations.backup.pgdump;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.DatabaseIdentity;
import io.apiforge.migrations.backup.DirectoryBackupCatalog;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention and the backup list in a directory that several applications share, with
 * backups of every kind, against a real PostgreSQL and a real {@code pg_dump}.
 */
@WithPostgres
class BackupRetentionTests {

	private static final Instant START = Instant.parse("2026-11-24T10:00:00Z");

	@TempDir
	Path directory;

	@Test
	void twoApplicationsSharingADirectoryKeepEachOthersBackups(TestDatabase first, PostgresServer server)
			throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(first);
		try (TestDatabase second = TestDatabase.create(server)) {
			PgDumpBackupStrategyTests.migrateToVersion1(second);
			HourlyClock clock = new HourlyClock();
			PgDumpBackupStrategy firstApplication = strategy(clock, 2, 5);
			PgDumpBackupStrategy secondApplication = strategy(clock, 3, 5);
			List<String> secondsBackups = List.of(fileName(secondApplication.backup(beforeMigration(second))),
					fileName(secondApplication.backup(beforeMigration(second))),
					fileName(secondApplication.backup(beforeMigration(second))));
			List<String> firstsBackups = List.of(fileName(firstApplication.backup(beforeMigration(first))),
					fileName(firstApplication.backup(beforeMigration(first))),
					fileName(firstApplication.backup(beforeMigration(first))),
					fileName(firstApplication.backup(beforeMigration(first))));
			assertThat(dumps()).as("the first keeps its newest 2, and every one of the second's survives")
				.containsExactlyInAnyOrder(firstsBackups.get(2), firstsBackups.get(3), secondsBackups.get(0),
						secondsBackups.get(1), secondsBackups.get(2));
			String secondsFourth = fileName(secondApplication.backup(beforeMigration(second)));
			assertThat(dumps()).as("the second keeps its newest 3, and the first's 2 survive")
				.containsExactlyInAnyOrder(firstsBackups.get(2), firstsBackups.get(3), secondsBackups.get(1),
						secondsBackups.get(2), secondsFourth);
			assertThat(listedFiles(catalog(first))).containsExactly(firstsBackups.get(3), firstsBackups.get(2));
			assertThat(listedFiles(catalog(second))).containsExactly(secondsFourth, secondsBackups.get(2),
					secondsBackups.get(1));
			assertThat(firstsBackups).allMatch((name) -> name.startsWith(first.name() + "@"));
			assertThat(secondsBackups).allMatch((name) -> name.startsWith(second.name() + "@"));
		}
	}

	@Test
	void twoApplicationsMigratingTheirOwnSchemasOfOneDatabaseKeepEachOthersBackups(TestDatabase database)
			throws Exception {
		database.jdbc().execute("CREATE SCHEMA orders; CREATE TABLE orders.item (id int)");
		database.jdbc().execute("CREATE SCHEMA billing; CREATE TABLE billing.invoice (id int)");
		PgDumpBackupStrategy strategy = strategy(new HourlyClock(), 1, 1);
		String orders = fileName(strategy.backup(new BackupRequest(database.dataSource(), List.of("orders"), "1", "2",
				1, BackupKind.PRE_MIGRATION)));
		String billing = fileName(strategy.backup(new BackupRequest(database.dataSource(), List.of("billing"), "1",
				"2", 1, BackupKind.PRE_MIGRATION)));
		String ordersAgain = fileName(strategy.backup(new BackupRequest(database.dataSource(), List.of("orders"), "2",
				"3", 1, BackupKind.PRE_MIGRATION)));
		assertThat(orders.substring(0, orders.indexOf('_', orders.indexOf('@'))))
			.as("the same database, other schemas: another identity")
			.isNotEqualTo(billing.substring(0, billing.indexOf('_', billing.indexOf('@'))));
		assertThat(dumps()).containsExactlyInAnyOrder(billing, ordersAgain);
	}

	@Test
	void backupsOnRequestNeverEvictTheOnlyBackupBeforeAMigration(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		PgDumpBackupStrategy strategy = strategy(new HourlyClock(), 1, 2);
		String beforeMigration = fileName(strategy.backup(beforeMigration(database)));
		String beforeRollback = fileName(strategy.backup(new BackupRequest(database.dataSource(), List.of(), "2", "1",
				1, BackupKind.PRE_ROLLBACK)));
		String latest = null;
		String previous = null;
		for (int hour = 0; hour < 6; hour++) {
			previous = latest;
			latest = fileName(strategy.backup(new BackupRequest(database.dataSource(), List.of(), "1", "1", 0,
					BackupKind.ON_REQUEST)));
		}
		assertThat(dumps()).containsExactlyInAnyOrder(beforeMigration, beforeRollback, previous, latest);
		assertThat(beforeMigration).contains("_pre-migration_v1_to_v2.dump");
		assertThat(beforeRollback).contains("_pre-rollback_v2_to_v1.dump");
		assertThat(latest).contains("_on-request_v1.dump");
		assertThat(Files.readString(this.directory.resolve(latest + ".json"))).contains("\"kind\": \"on-request\"")
			.contains("\"databaseName\": \"" + database.name() + "\"")
			.containsPattern("\"databaseId\": \"[0-9a-f]{64}\"");
		assertThat(catalog(database).list()).extracting(BackupRecord::kind)
			.containsExactly(BackupKind.ON_REQUEST, BackupKind.ON_REQUEST, BackupKind.PRE_ROLLBACK,
					BackupKind.PRE_MIGRATION);
	}

	@Test
	void aDatabaseWithAnOddNameIsBackedUpUnderASafeName(TestDatabase database, PostgresServer server)
			throws Exception {
		String name = "weird db/ä" + "x".repeat(50);
		try (Connection admin = server.connectAsAdmin(server.maintenanceDatabase());
				Statement statement = admin.createStatement()) {
			statement.execute("CREATE DATABASE \"" + name + "\"");
		}
		try {
			DataSource weird = new SimpleDriverDataSource(new Driver(),
					server.jdbcUrl(URLEncoder.encode(name, StandardCharsets.UTF_8)), database.username(),
					(database.password() != null) ? database.password() : "");
			new JdbcTemplate(weird).execute("CREATE TABLE items (id int)");
			BackupRecord backup = strategy(new HourlyClock(), 1, 1)
				.backup(new BackupRequest(weird, List.of(), "1", "2", 1, BackupKind.PRE_MIGRATION));
			assertThat(fileName(backup))
				.matches("weird_db_a" + "x".repeat(30) + "@[0-9a-f]{8}_20261124T100000Z_pre-migration_v1_to_v2\\.dump");
			assertThat(backup.verified()).isTrue();
			assertThat(Files.readString(Path.of(backup.location() + ".json")))
				.contains("\"databaseName\": \"" + name + "\"");
			assertThat(listedFiles(new DirectoryBackupCatalog(this.directory, weird, List.of())))
				.containsExactly(fileName(backup));
		}
		finally {
			try (Connection admin = server.connectAsAdmin(server.maintenanceDatabase());
					Statement statement = admin.createStatement()) {
				statement.execute("DROP DATABASE \"" + name + "\" WITH (FORCE)");
			}
		}
	}

	@Test
	void backupsNamedBeforeNamesCarriedTheDatabaseAreListedForTheirDatabaseAndNeverDeleted(TestDatabase database)
			throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		DatabaseIdentity identity = DatabaseIdentity.read(database.dataSource(), List.of());
		Files.createDirectories(this.directory);
		legacyBackup("20261001T000000Z_v0_to_v1.dump", "app@" + identity.address());
		legacyBackup("20261002T000000Z_v0_to_v1.dump", "app@elsewhere:5432/other");
		PgDumpBackupStrategy strategy = strategy(new HourlyClock(), 1, 1);
		strategy.backup(beforeMigration(database));
		String latest = fileName(strategy.backup(beforeMigration(database)));
		assertThat(dumps()).containsExactlyInAnyOrder(latest, "20261001T000000Z_v0_to_v1.dump",
				"20261002T000000Z_v0_to_v1.dump");
		List<BackupRecord> listed = catalog(database).list();
		assertThat(listed).extracting((backup) -> Path.of(backup.location()).getFileName().toString())
			.containsExactly(latest, "20261001T000000Z_v0_to_v1.dump");
		assertThat(listed.get(1).kind()).isNull();
		assertThat(listed.get(1).fromVersion()).isEqualTo("0");
	}

	@Test
	void retentionKeepsAFileWhoseSidecarDoesNotSayItIsThisDatabasesEvenUnderItsName(TestDatabase database)
			throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		PgDumpBackupStrategy strategy = strategy(new HourlyClock(), 1, 1);
		String taken = fileName(strategy.backup(beforeMigration(database)));
		String prefix = taken.substring(0, taken.indexOf('_', taken.indexOf('@')) + 1);
		String foreign = prefix + "20200101T000000Z_pre-migration_v0_to_v1.dump";
		Files.writeString(this.directory.resolve(foreign), "same short identity, another database");
		Files.writeString(this.directory.resolve(foreign + ".json"),
				Files.readString(this.directory.resolve(taken + ".json"))
					.replaceAll("\"databaseId\": \"[0-9a-f]+\"", "\"databaseId\": \"" + "0".repeat(64) + "\""));
		String orphan = prefix + "20200102T000000Z_pre-migration_v0_to_v1.dump";
		Files.writeString(this.directory.resolve(orphan), "no sidecar");
		String latest = fileName(strategy.backup(beforeMigration(database)));
		assertThat(dumps()).containsExactlyInAnyOrder(latest, foreign, orphan);
		assertThat(listedFiles(catalog(database))).containsExactly(latest);
	}

	private PgDumpBackupStrategy strategy(Clock clock, int keepLast, int keepLastOnRequest) {
		return new PgDumpBackupStrategy(new PgDumpSettings(this.directory, null, PgDumpFormat.CUSTOM,
				BackupScope.DATABASE, BackupVerification.LIST, Duration.ofMinutes(1), Duration.ofSeconds(1), keepLast,
				keepLastOnRequest),
				clock);
	}

	private DirectoryBackupCatalog catalog(TestDatabase database) {
		return new DirectoryBackupCatalog(this.directory, database.dataSource(), List.of());
	}

	private void legacyBackup(String name, String database) throws Exception {
		Files.writeString(this.directory.resolve(name), "an older backup");
		Files.writeString(this.directory.resolve(name + ".json"), """
				{
				  "file": "%s",
				  "strategy": "pg-dump",
				  "createdAt": "2026-10-01T00:00:03Z",
				  "fromVersion": "0",
				  "toVersion": "1",
				  "database": "%s",
				  "durationMillis": 12,
				  "verified": true
				}
				""".formatted(name, database));
	}

	private static BackupRequest beforeMigration(TestDatabase database) {
		return new BackupRequest(database.dataSource(), List.of(), "1", "2", 1, BackupKind.PRE_MIGRATION);
	}

	private static String fileName(BackupRecord backup) {
		return Path.of(backup.location()).getFileName().toString();
	}

	private static List<String> listedFiles(DirectoryBackupCatalog catalog) {
		return catalog.list().stream().map(BackupRetentionTests::fileName).toList();
	}

	private List<String> dumps() throws Exception {
		return PgDumpBackupStrategyTests.filesIn(this.directory)
			.stream()
			.filter((name) -> name.endsWith(".dump"))
			.toList();
	}

	/**
	 * A clock an hour later at each reading, so that each backup has a time of its own.
	 */
	static final class HourlyClock extends Clock {

		private Instant next = START;

		@Override
		public synchronized Instant instant() {
			Instant now = this.next;
			this.next = now.plus(Duration.ofHours(1));
			return now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
