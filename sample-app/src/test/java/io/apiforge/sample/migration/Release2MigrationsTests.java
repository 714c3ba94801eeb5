package io.apiforge.sample.migration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.apiforge.migrations.lint.LintSeverity;
import io.apiforge.migrations.test.Migrations;
import io.apiforge.migrations.test.MigrationsExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Release 2's migrations (the {@code release2} profile's locations: release 1's, then
 * {@code db/release2}), checked with the test kit: every undo reverses its migration, and
 * the lint finds nothing in any of them deployed on its own, warnings included (the
 * mandatory full name is added in the two steps the set-not-null rule asks for).
 */
class Release2MigrationsTests {

	@RegisterExtension
	static MigrationsExtension migrations = MigrationsExtension
		.locations("classpath:db/migration", "classpath:db/release2")
		.configure((flyway) -> flyway.javaMigrations(new V3__FillFullName()));

	@Test
	void everyUndoReversesItsMigration(Migrations migrations) {
		assertThat(migrations.assertRoundTrip()).containsExactly("2", "2.1", "3", "4", "5");
	}

	@Test
	void everyMigrationIsSafeToDeployOnItsOwn(Migrations migrations) {
		migrations.assertLint(LintSeverity.WARNING);
	}

}
