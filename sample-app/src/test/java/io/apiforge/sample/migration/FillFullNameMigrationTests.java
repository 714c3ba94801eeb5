package io.apiforge.sample.migration;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The batched data migration of version 3, run by plain Flyway on a database at version
 * 2.1 with a small batch, so that several batches are needed.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class FillFullNameMigrationTests {

	@Test
	void fillsEveryMissingFullNameInBatchesAndKeepsTheOnesAlreadyWritten(TestDatabase database,
			CapturedOutput output) {
		JdbcTemplate jdbc = database.jdbc();
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/migration")
			.target("2.1")
			.load()
			.migrate();
		jdbc.update("DELETE FROM usertable");
		jdbc.update("""
				INSERT INTO usertable (first_name, last_name, email)
				SELECT 'First' || n, 'Last' || n, 'user' || n || '@example.org' FROM generate_series(1, 17) AS n""");
		jdbc.update("INSERT INTO usertable (first_name, last_name, email) VALUES ('Cher', NULL, 'cher@example.org')");
		jdbc.update("INSERT INTO usertable (first_name, last_name, email) VALUES (NULL, NULL, 'nobody@example.org')");
		// Written by the application (release 1 writes both) before the backfill reached it
		jdbc.update("INSERT INTO usertable (first_name, last_name, full_name, email) "
				+ "VALUES ('Grace', 'Hopper', 'Rear Admiral Grace Hopper', 'grace@example.org')");

		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/migration")
			.javaMigrations(new V3__FillFullName(7))
			.load()
			.migrate();

		assertThat(jdbc.queryForObject("SELECT max(version) FROM flyway_schema_history WHERE success", String.class))
			.isEqualTo("3");
		assertThat(jdbc.queryForObject("SELECT description FROM flyway_schema_history WHERE version = '3'",
				String.class))
			.isEqualTo("fill full name");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM usertable WHERE first_name LIKE 'First%' "
				+ "AND full_name = first_name || ' ' || last_name", Integer.class))
			.isEqualTo(17);
		assertThat(jdbc.queryForList("SELECT email || '=' || full_name FROM usertable WHERE first_name IS NULL "
				+ "OR last_name IS NULL OR first_name = 'Grace' ORDER BY email", String.class))
			.containsExactly("cher@example.org=Cher", "grace@example.org=Rear Admiral Grace Hopper",
					"nobody@example.org=");
		assertThat(output).contains("Backfill of usertable finished: 20 rows walked, 19 updated, in 3 batches");
		assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history_backfills", Integer.class))
			.as("the finished backfill's checkpoint is removed")
			.isZero();
	}

	@Test
	void theBatchSizeMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new V3__FillFullName(0))
			.withMessage("'batchSize' must be positive, but was 0");
	}

}
