package io.apiforge.migrations.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Flyway 11 behaviour on PostgreSQL that the {@code concurrently-in-transaction} rule
 * and {@code docs/lint.md} describe, proven against the real thing so that an upgrade
 * that changes it fails here.
 */
@WithPostgres
class FlywayConcurrentlyBehaviourTests {

	private static final String CREATE_INDEX = "CREATE INDEX CONCURRENTLY items_name_idx ON items (name);\n";

	@TempDir
	Path migrations;

	@BeforeEach
	void existingTable(TestDatabase database) throws IOException {
		Files.writeString(this.migrations.resolve("V1__create.sql"),
				"CREATE TABLE items (id int PRIMARY KEY, name text);\nINSERT INTO items SELECT n, 'n' || n FROM generate_series(1, 100) n;\n");
		flyway(database, true).target("1").load().migrate();
	}

	@Test
	void aScriptOfConcurrentStatementsRunsOutsideATransactionWithASessionLock(TestDatabase database)
			throws IOException {
		Files.writeString(this.migrations.resolve("V2__index.sql"), CREATE_INDEX + "DROP INDEX CONCURRENTLY items_name_idx;\n"
				+ CREATE_INDEX.replace("items_name_idx", "items_name_2_idx"));
		flyway(database, false).load().migrate();
		assertThat(database.jdbc().queryForList("SELECT indexname FROM pg_indexes WHERE tablename = 'items'", String.class))
			.containsExactlyInAnyOrder("items_pkey", "items_name_2_idx");
	}

	@Test
	void withTheDefaultTransactionalLockCreateIndexConcurrentlyWaitsForFlywaysOwnTransaction(TestDatabase database)
			throws Exception {
		Files.writeString(this.migrations.resolve("V2__index.sql"), CREATE_INDEX);
		CompletableFuture<?> migration = CompletableFuture.runAsync(() -> flyway(database, true).load().migrate());
		String waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'virtualxid' "
				+ "AND query LIKE 'CREATE INDEX CONCURRENTLY%'";
		await().atMost(Duration.ofSeconds(60))
			.until(() -> database.jdbc().queryForObject(waiting, Integer.class) == 1);
		// It waits for a session that holds Flyway's advisory lock: that session's
		// transaction ends only when the migration does, which waits for the index.
		String blockedByFlywaysLock = "SELECT count(*) FROM pg_stat_activity a WHERE a.datname = current_database() "
				+ "AND a.query LIKE 'CREATE INDEX CONCURRENTLY%' AND EXISTS (SELECT 1 FROM pg_locks l "
				+ "WHERE l.locktype = 'advisory' AND l.granted AND l.pid = ANY (pg_blocking_pids(a.pid)))";
		assertThat(database.jdbc().queryForObject(blockedByFlywaysLock, Integer.class))
			.as("waiting for the holder of Flyway's lock")
			.isOne();
		database.jdbc().queryForList("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
				+ "AND query LIKE 'CREATE INDEX CONCURRENTLY%'");
		assertThat(migration).failsWithin(60, TimeUnit.SECONDS);
	}

	@Test
	void dropIndexConcurrentlyDoesNotWaitForFlywaysTransaction(TestDatabase database) throws IOException {
		database.jdbc().execute("CREATE INDEX items_name_idx ON items (name)");
		Files.writeString(this.migrations.resolve("V2__drop.sql"), "DROP INDEX CONCURRENTLY items_name_idx;\n");
		assertThat(CompletableFuture.runAsync(() -> flyway(database, true).load().migrate()))
			.succeedsWithin(Duration.ofSeconds(60));
	}

	@Test
	void aScriptMixingConcurrentAndTransactionalStatementsIsRefusedWhole(TestDatabase database) throws IOException {
		Files.writeString(this.migrations.resolve("V2__index.sql"), "SET lock_timeout = '5s';\n" + CREATE_INDEX);
		assertThatExceptionOfType(FlywayException.class).isThrownBy(() -> flyway(database, false).load().migrate())
			.withMessageContaining("Detected both transactional and non-transactional statements within the same migration");
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM pg_indexes WHERE tablename = 'items'", Integer.class))
			.isOne();
	}

	@Test
	void aScriptForcedIntoATransactionFails(TestDatabase database) throws IOException {
		Files.writeString(this.migrations.resolve("V2__index.sql"), CREATE_INDEX);
		Files.writeString(this.migrations.resolve("V2__index.sql.conf"), "executeInTransaction=true\n");
		assertThatExceptionOfType(FlywayException.class).isThrownBy(() -> flyway(database, false).load().migrate())
			.withMessageContaining("CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
	}

	@Test
	void reindexConcurrentlyIsNotRecognisedAndFailsInsideFlywaysTransaction(TestDatabase database) throws IOException {
		Files.writeString(this.migrations.resolve("V2__reindex.sql"), "REINDEX TABLE CONCURRENTLY items;\n");
		assertThatExceptionOfType(FlywayException.class).isThrownBy(() -> flyway(database, false).load().migrate())
			.withMessageContaining("REINDEX CONCURRENTLY cannot run inside a transaction block");
	}

	private FluentConfiguration flyway(TestDatabase database, boolean transactionalLock) {
		return Flyway.configure()
			.dataSource(database.dataSource())
			.locations("filesystem:" + this.migrations)
			.configuration(Map.of("flyway.postgresql.transactional.lock", Boolean.toString(transactionalLock)));
	}

}
