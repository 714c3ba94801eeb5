package io.apiforge.migrations.backup.pgdump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

/**
 * What each {@code migrations.backup.verify} level costs on a database of about 1 GB,
 * side by side in one run. Not part of the suite (its name does not end with
 * {@code Tests}); run it by hand:
 *
 * <pre>
 * ./mvnw -pl autoconfigure test -Dtest=RestoreVerificationBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * The figures are in {@code docs/backup.md}.
 */
@WithPostgres
class RestoreVerificationBenchmark {

	private static final int ROWS = Integer.getInteger("benchmark.rows", 7_000_000);

	@TempDir
	Path temp;

	@Test
	void eachVerificationLevelOnAGigabyteDatabase(TestDatabase database) throws Exception {
		long started = System.nanoTime();
		database.jdbc()
			.execute("CREATE TABLE events (id bigint PRIMARY KEY, account int NOT NULL, kind text NOT NULL, "
					+ "payload text NOT NULL, created timestamptz NOT NULL)");
		database.jdbc()
			.execute("INSERT INTO events SELECT g, g % 10000, 'kind-' || (g % 17), md5(g::text) || md5((g * 7)::text), "
					+ "timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series(1, " + ROWS + ") g");
		database.jdbc().execute("CREATE INDEX events_account ON events (account)");
		database.jdbc().execute("CREATE TABLE accounts AS SELECT g AS id, 'account ' || g AS name FROM generate_series(1, 10000) g");
		database.jdbc().execute("VACUUM ANALYZE");
		long size = database.jdbc().queryForObject("SELECT pg_database_size(current_database())", Long.class);
		print("Generated " + ROWS + " rows, database size " + mb(size) + " in " + seconds(System.nanoTime() - started));
		for (BackupVerification level : BackupVerification.values()) {
			Path directory = this.temp.resolve(level.option());
			PgDumpBackupStrategy strategy = new PgDumpBackupStrategy(new PgDumpSettings(directory, null,
					PgDumpFormat.CUSTOM, BackupScope.DATABASE, level, Duration.ofHours(1), Duration.ofSeconds(30), 10),
					Clock.systemUTC());
			long start = System.nanoTime();
			BackupRecord backup = strategy
				.backup(new BackupRequest(database.dataSource(), List.of(), "1", "2", 1));
			long elapsed = System.nanoTime() - start;
			print("verify=" + level.option() + ": " + seconds(elapsed) + ", file " + mb(backup.sizeBytes()));
			Files.deleteIfExists(Path.of(backup.location()));
		}
	}

	private static void print(String line) {
		System.out.println("BENCHMARK " + line);
	}

	private static String mb(long bytes) {
		return (bytes / (1024 * 1024)) + " MiB";
	}

	private static String seconds(long nanos) {
		return String.format("%.1f s", nanos / 1e9);
	}

}
