package io.apiforge.sample.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.lint.LintSeverity;
import io.apiforge.migrations.test.Migrations;
import io.apiforge.migrations.test.MigrationsExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's migrations, checked with the test kit as a user's project would: every
 * undo reverses its migration exactly, and the lint finds nothing in any migration
 * deployed on its own. Release 2's are checked by {@link Release2MigrationsTests}.
 */
class SampleMigrationsTests {

	@RegisterExtension
	static MigrationsExtension migrations = MigrationsExtension.locations("classpath:db/migration")
		.configure((flyway) -> flyway.javaMigrations(new V3__FillFullName()));

	@Test
	void everyUndoReversesItsMigration(Migrations migrations) {
		assertThat(migrations.assertRoundTrip()).containsExactly("2", "2.1", "3");
	}

	@Test
	void everyMigrationIsSafeToDeployOnItsOwn(Migrations migrations) {
		migrations.assertLint(LintSeverity.WARNING);
	}

	@Test
	void aUserAddedBeforeVersion3GetsAFullName(Migrations migrations) {
		migrations.migrateTo("2.1")
			.sql("INSERT INTO usertable (first_name, last_name, email) VALUES ('Ada', 'Lovelace', 'ada@example.com')");
		migrations.migrate();
		assertThat(migrations.version()).isEqualTo("3");
		assertThat(new JdbcTemplate(migrations.dataSource()).queryForObject("SELECT full_name FROM usertable WHERE email = 'ada@example.com'",
				String.class))
			.isEqualTo("Ada Lovelace");
		migrations.assertNoDrift();
	}

}
