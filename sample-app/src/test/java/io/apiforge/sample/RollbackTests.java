package io.apiforge.sample;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's schema goes down and up again: V3 (Java, undoes itself) and V2 (undone by
 * U2__add_user_contact.sql) are rolled back to 1.1, then migrated again, with the users
 * intact at each step. (1.1 is the demo seed, which has no undo: it is the floor.)
 */
@WithPostgres
class RollbackTests {

	@Test
	void fromVersion3DownTo1Point1AndUpAgain(TestDatabase database, @TempDir Path backups) {
		String[] arguments = java.util.stream.Stream
			.concat(java.util.Arrays.stream(database.springProperties()),
					java.util.stream.Stream.of("migrations.backup.directory=" + backups))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.run(arguments);
		try {
			JdbcTemplate jdbc = database.jdbc();
			assertThat(version(jdbc)).isEqualTo("3");
			jdbc.update("INSERT INTO usertable (first_name, last_name, email, phone, address, full_name) "
					+ "VALUES ('Ada', 'Lovelace', 'ada@example.com', '+44 1', 'London', 'Ada Lovelace')");
			assertThat(userColumns(jdbc)).contains("phone", "address", "full_name");

			MigrationRun rollback = context.getBean(MigrationOperations.class).rollback("1.1");
			assertThat(rollback.outcome()).isEqualTo(RunOutcome.ROLLED_BACK);
			assertThat(version(jdbc)).isEqualTo("1.1");
			assertThat(userColumns(jdbc)).doesNotContain("phone", "address", "full_name");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM usertable", Integer.class)).isEqualTo(2501);
			assertThat(jdbc.queryForObject("SELECT first_name || ' ' || last_name FROM usertable WHERE email = ?",
					String.class, "ada@example.com"))
				.isEqualTo("Ada Lovelace");
			assertThat(backups).as("the backup taken before the rollback")
				.isDirectoryContaining("regex:.*_v3_to_v1\\.1\\.dump");

			context.getBean(MigrationOperations.class).migrate();
			assertThat(version(jdbc)).isEqualTo("3");
			assertThat(userColumns(jdbc)).contains("phone", "address", "full_name");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM usertable WHERE full_name IS NOT NULL", Integer.class))
				.isEqualTo(2501);
			assertThat(jdbc.queryForObject("SELECT full_name FROM usertable WHERE email = ?", String.class,
					"ada@example.com"))
				.isEqualTo("Ada Lovelace");
			assertThat(jdbc.queryForObject("SELECT phone FROM usertable WHERE email = ?", String.class,
					"ada@example.com"))
				.as("undone columns come back empty: their data is in the backup only")
				.isNull();
		}
		finally {
			SpringApplication.exit(context);
		}
	}

	private static String version(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
				+ "ORDER BY installed_rank DESC LIMIT 1", String.class);
	}

	private static List<String> userColumns(JdbcTemplate jdbc) {
		return jdbc.queryForList(
				"SELECT column_name FROM information_schema.columns WHERE table_name = 'usertable'", String.class);
	}

}
