package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.testsupport.LimitedRole;
import io.apiforge.migrations.testsupport.PgClientWrappers;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code migrations.backup.verify=restore} against a real PostgreSQL: the backup is
 * restored into a temporary database and its row counts compared with the snapshot the
 * dump saw; the temporary database is gone afterwards, whatever happened.
 */
@WithPostgres
class RestoreVerificationTests {

	@TempDir
	Path temp;

	@Test
	void aBackupThatRestoresWithEveryRowIsVerifiedAndRecordedAsSuch(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		database.jdbc().execute("INSERT INTO items SELECT 10 + g, 'item ' || g FROM generate_series(1, 1000) g");
		database.jdbc().execute("CREATE SCHEMA \"Billing\"");
		database.jdbc().execute("CREATE TABLE \"Billing\".invoices AS SELECT g AS id FROM generate_series(1, 7) g");
		Path directory = this.temp.resolve("backups");
		BackupRecord backup = PgDumpBackupStrategyTests.strategy(settings(directory, null, PgDumpFormat.CUSTOM))
			.backup(PgDumpBackupStrategyTests.request(database));
		assertThat(backup.verified()).isTrue();
		String metadata = Files.readString(Path.of(backup.location() + ".json"));
		long rows = database.jdbc()
			.queryForObject("SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM flyway_schema_history) "
					+ "+ (SELECT count(*) FROM \"Billing\".invoices)", Long.class);
		assertThat(metadata).contains("\"verified\": true")
			.contains("\"verify\": \"restore\"")
			.contains("\"verifiedTables\": 3")
			.contains("\"verifiedRows\": " + rows)
			.contains("\"--snapshot=");
		assertThat(temporaryDatabases(database)).isEmpty();
	}

	@Test
	void aPlainBackupIsVerifiedByARestoreToo(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		database.jdbc().execute("INSERT INTO items SELECT 10 + g, 'item ' || g FROM generate_series(1, 10) g");
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(settings(this.temp.resolve("backups"), null, PgDumpFormat.PLAIN))
			.backup(PgDumpBackupStrategyTests.request(database));
		assertThat(Files.readString(Path.of(backup.location() + ".json"))).contains("\"verify\": \"restore\"")
			.contains("\"verifiedRows\": " + (13 + 1));
		assertThat(temporaryDatabases(database)).isEmpty();
	}

	@Test
	void aDumpThatLosesATablesRowsFailsNamingTheTableAndKeepsNoBackup(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		database.jdbc().execute("INSERT INTO items SELECT 10 + g, 'item ' || g FROM generate_series(1, 250) g");
		// A pg_dump that leaves a table's rows out: the archive still lists the table.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"),
				"exec \"$REAL_PG_DUMP\" --exclude-table-data=public.items \"$@\"");
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(RestoreVerificationException.class)
			.isThrownBy(() -> PgDumpBackupStrategyTests.strategy(settings(directory, pgDump, PgDumpFormat.CUSTOM))
				.backup(PgDumpBackupStrategyTests.request(database)))
			.withMessageContaining("public.items: 253 rows expected, 0 found")
			.withMessageEndingWith("The backup was discarded")
			.satisfies((ex) -> assertThat(ex.getAction()).contains(PgDumpBackupStrategy.PATH_PROPERTY));
		assertThat(PgDumpBackupStrategyTests.filesIn(directory)).isEmpty();
		assertThat(temporaryDatabases(database)).isEmpty();
	}

	@Test
	void aBackupThatDoesNotRestoreFailsAndDropsTheTemporaryDatabase(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), "exec \"$REAL_PG_DUMP\" \"$@\"");
		// pg_restore reads the table of contents as usual, but fails to restore.
		PgClientWrappers.script(pgDump.resolveSibling("pg_restore"), """
				case "$*" in
				  *--dbname=*) echo 'pg_restore: error: could not execute query: disk full' >&2; exit 1 ;;
				esac
				exec '%s' "$@"
				""".formatted(PgClientWrappers.real("pg_restore")));
		Path directory = this.temp.resolve("backups");
		assertThatExceptionOfType(RestoreVerificationException.class)
			.isThrownBy(() -> PgDumpBackupStrategyTests.strategy(settings(directory, pgDump, PgDumpFormat.CUSTOM))
				.backup(PgDumpBackupStrategyTests.request(database)))
			.withMessageStartingWith("Verification of the backup failed: it does not restore.")
			.withMessageContaining("disk full");
		assertThat(PgDumpBackupStrategyTests.filesIn(directory)).isEmpty();
		assertThat(temporaryDatabases(database)).isEmpty();
	}

	@Test
	void rowsCommittedDuringTheDumpAreNeitherDumpedNorCounted(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		database.jdbc().execute("INSERT INTO items SELECT 10 + g, 'item ' || g FROM generate_series(1, 100) g");
		// Rows the application commits after the rows were counted, before pg_dump starts
		// (committed through the application's own connection settings, which psql reads from
		// the environment): pg_dump must dump the counted snapshot, not what it finds.
		Path pgDump = PgClientWrappers.pgDump(this.temp.resolve("bin"), """
				'%s' --no-psqlrc --set=ON_ERROR_STOP=1 --quiet \\
				  --command="INSERT INTO items SELECT 1000 + g, 'late ' || g FROM generate_series(1, 40) g" || exit 3
				exec "$REAL_PG_DUMP" "$@"
				""".formatted(PgClientWrappers.real("psql")));
		BackupRecord backup = PgDumpBackupStrategyTests
			.strategy(settings(this.temp.resolve("backups"), pgDump, PgDumpFormat.CUSTOM))
			.backup(PgDumpBackupStrategyTests.request(database));
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM items", Long.class)).isEqualTo(143);
		assertThat(Files.readString(Path.of(backup.location() + ".json")))
			.as("103 items and the history's row, counted before the late rows")
			.contains("\"verifiedRows\": 104");
		assertThat(temporaryDatabases(database)).isEmpty();
	}

	@Test
	void aRoleThatMayNotCreateDatabasesIsRefusedByTheCheckWithTheFix(TestDatabase database) {
		try (LimitedRole limited = LimitedRole.create(database)) {
			assertThatExceptionOfType(BackupException.class)
				.isThrownBy(() -> PgDumpBackupStrategyTests.strategy(settings(this.temp, null, PgDumpFormat.CUSTOM))
					.check(limited.dataSource()))
				.withMessage("migrations.backup.verify=restore restores each backup into a temporary database on the "
						+ "same server, but the role \"" + limited.name() + "\" may not create databases (no CREATEDB)")
				.satisfies((ex) -> assertThat(ex.getAction()).isEqualTo("Grant it: ALTER ROLE \"" + limited.name()
						+ "\" CREATEDB; or set migrations.backup.verify=list to check backups with pg_restore --list only."));
		}
	}

	@Test
	void theCheckAcceptsARoleThatMayCreateDatabases(TestDatabase database) {
		PgDumpBackupStrategyTests.strategy(settings(this.temp, null, PgDumpFormat.CUSTOM)).check(database.dataSource());
	}

	@Test
	void aTemporaryDatabaseLeftByADeadProcessIsDroppedAndALiveOneIsKept(TestDatabase database) throws Exception {
		PgDumpBackupStrategyTests.migrateToVersion1(database);
		long oid = database.jdbc()
			.queryForObject("SELECT oid FROM pg_database WHERE datname = current_database()", Long.class);
		String dead = RestoreVerifier.DATABASE_PREFIX + oid + "_11";
		String live = RestoreVerifier.DATABASE_PREFIX + oid + "_22";
		database.jdbc().execute("CREATE DATABASE " + dead);
		database.jdbc().execute("CREATE DATABASE " + live);
		try (Connection verifying = database.dataSource().getConnection();
				Statement statement = verifying.createStatement()) {
			// The session of a verification still running holds its database's lock.
			statement.execute("SELECT pg_advisory_lock(" + RestoreVerifier.LOCK_CLASS + ", 22)");
			// Whatever the level now: verify=restore may have been switched off since.
			PgDumpBackupStrategyTests.strategy(PgDumpBackupStrategyTests.settings(this.temp.resolve("backups")))
				.backup(PgDumpBackupStrategyTests.request(database));
			assertThat(temporaryDatabases(database)).containsExactly(live);
		}
		finally {
			database.jdbc().execute("DROP DATABASE IF EXISTS " + live);
		}
	}

	static PgDumpSettings settings(Path directory, Path pgDump, PgDumpFormat format) {
		return new PgDumpSettings(directory, pgDump, format, BackupScope.DATABASE, BackupVerification.RESTORE,
				Duration.ofMinutes(2), Duration.ofSeconds(1), 10);
	}

	static List<String> temporaryDatabases(TestDatabase database) {
		return database.jdbc()
			.queryForList("SELECT datname FROM pg_database WHERE strpos(datname, ?) = 1 ORDER BY 1", String.class,
					RestoreVerifier.DATABASE_PREFIX);
	}

}
