package io.apiforge.sample.migration;

import java.util.List;

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
 * The batched data migration of version 3, run by plain Flyway on a database at version 2
 * with a small batch, so that several batches are needed.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class FillFullNameMigrationTests {

	@Test
	void fillsEveryFullNameInBatchesThenMakesItMandatory(TestDatabase database, CapturedOutput output) {
		JdbcTemplate jdbc = database.jdbc();
		Flyway.configure()
			.dataSource(database.dataSource())
			.locations("classpath:db/migration")
			.target("2")
			.load()
			.migrate();
		jdbc.update("DELETE FROM usertable");
		jdbc.update("""
				INSERT INTO usertable (first_name, last_name, email)
				SELECT 'First' || n, 'Last' || n, 'user' || n || '@example.org' FROM generate_series(1, 18) AS n""");
		jdbc.update("INSERT INTO usertable (first_name, last_name, email) VALUES ('Cher', NULL, 'cher@example.org')");
		jdbc.update("INSERT INTO usertable (first_name, last_name, email) VALUES (NULL, NULL, 'nobody@example.org')");

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
			.isEqualTo(18);
		assertThat(jdbc.queryForList("SELECT email || '=' || full_name FROM usertable WHERE first_name IS NULL "
				+ "OR last_name IS NULL ORDER BY email", String.class))
			.containsExactly("cher@example.org=Cher", "nobody@example.org=");
		assertThat(jdbc.queryForObject("SELECT is_nullable FROM information_schema.columns "
				+ "WHERE table_name = 'usertable' AND column_name = 'full_name'", String.class))
			.isEqualTo("NO");
		assertThat(output).contains("Filling usertable.full_name for 20 rows in batches of 7");
		List<String> progress = output.getOut()
			.lines()
			.filter((line) -> line.contains("Filled usertable.full_name: "))
			.map((line) -> line.substring(line.indexOf("Filled usertable.full_name: ")))
			.toList();
		assertThat(progress).containsExactly("Filled usertable.full_name: 7/20 rows",
				"Filled usertable.full_name: 14/20 rows", "Filled usertable.full_name: 20/20 rows");
	}

	@Test
	void theBatchSizeMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new V3__FillFullName(0))
			.withMessage("'batchSize' must be positive, but was 0");
	}

}
