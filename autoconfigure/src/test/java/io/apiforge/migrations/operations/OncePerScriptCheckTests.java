package io.apiforge.migrations.operations;

import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lint of tenants' shared scripts runs once per script, and a refused script is
 * refused for every tenant that has it pending.
 */
class OncePerScriptCheckTests {

	private final Flyway flyway = Flyway.configure().load();

	@Test
	void eachScriptIsCheckedOnceAcrossTenants() {
		List<List<String>> checked = new ArrayList<>();
		OncePerScriptCheck check = new OncePerScriptCheck(
				(flyway, pending, enforce) -> checked.add(pending.stream().map(MigrationSummary::script).toList()));
		check.check(this.flyway, List.of(migration("1"), migration("2"), migration("3")), true);
		check.check(this.flyway, List.of(migration("2"), migration("3")), true);
		check.check(this.flyway, List.of(migration("1"), migration("2"), migration("3"), migration("4")), true);
		assertThat(checked).containsExactly(List.of("V1__s.sql", "V2__s.sql", "V3__s.sql"), List.of("V4__s.sql"));
	}

	@Test
	void aRefusedScriptIsRefusedForEveryTenantThatHasItPending() {
		MigrationsException refused = new MigrationsException("V2 is refused", "fix it", null);
		List<List<MigrationSummary>> checked = new ArrayList<>();
		OncePerScriptCheck check = new OncePerScriptCheck((flyway, pending, enforce) -> {
			checked.add(pending);
			if (pending.stream().anyMatch((migration) -> "2".equals(migration.version()))) {
				throw refused;
			}
		});
		assertThatExceptionOfType(MigrationsException.class)
			.isThrownBy(() -> check.check(this.flyway, List.of(migration("1"), migration("2")), true))
			.isSameAs(refused);
		assertThatExceptionOfType(MigrationsException.class)
			.isThrownBy(() -> check.check(this.flyway, List.of(migration("2")), true))
			.isSameAs(refused);
		assertThat(checked).hasSize(1);
	}

	private static MigrationSummary migration(String version) {
		return new MigrationSummary(null, version, "s", "V" + version + "__s.sql", "SQL", "PENDING", null, null, null,
				null);
	}

}
