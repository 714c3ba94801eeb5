package io.apiforge.migrations.scripts;

import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Placeholders are replaced the way Flyway 11 replaces them. These need no database: the
 * built-ins read from it ({@code flyway:user}, {@code flyway:database}) are covered by
 * the rollback's integration tests.
 */
class PlaceholdersTests {

	@Test
	void configuredPlaceholdersMatchWhateverTheirCase() {
		Placeholders placeholders = Placeholders.of(flyway().placeholders(Map.of("Table", "items")));
		assertThat(placeholders.replace("SELECT * FROM ${table}, ${TABLE}, ${Table}", "V1__x.sql"))
			.isEqualTo("SELECT * FROM items, items, items");
	}

	@Test
	void flywaysBuiltInsAreKnown() {
		Placeholders placeholders = Placeholders.of(flyway().defaultSchema("app").table("history"));
		assertThat(placeholders.replace("${flyway:defaultSchema}.${flyway:table} ${flyway:filename}",
				"db/migration/U2__add_price.sql"))
			.isEqualTo("app.history U2__add_price.sql");
		assertThat(placeholders.replace("${flyway:timestamp}", "U2__x.sql"))
			.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
		assertThat(placeholders.replace("${flyway:workingDirectory}", "U2__x.sql"))
			.isEqualTo(System.getProperty("user.dir"));
	}

	@Test
	void theFirstSchemaIsTheDefaultSchemaWhenNoneIsSet() {
		Placeholders placeholders = Placeholders.of(flyway().schemas("sales", "audit"));
		assertThat(placeholders.replace("${flyway:defaultSchema}", "U2__x.sql")).isEqualTo("sales");
	}

	@Test
	void thePrefixSuffixAndSeparatorAreFlyways() {
		Placeholders placeholders = Placeholders.of(flyway().placeholderPrefix("#[")
			.placeholderSuffix("]")
			.placeholderSeparator("_")
			.placeholders(Map.of("t", "items"))
			.defaultSchema("app"));
		assertThat(placeholders.replace("SELECT '${t}' FROM #[flyway_defaultSchema].#[t]", "U2__x.sql"))
			.isEqualTo("SELECT '${t}' FROM app.items");
	}

	@Test
	void aPlaceholderWithoutAValueIsAnErrorNamingItTheScriptTheLineAndTheProperty() {
		Placeholders placeholders = Placeholders.of(flyway());
		assertThatExceptionOfType(UnknownPlaceholderException.class)
			.isThrownBy(() -> placeholders.replace("DROP TABLE items;\n-- by ${undone_by}\n", "U2__x.sql"))
			.withMessage("U2__x.sql (line 2) uses the placeholder ${undone_by}, which has no value: "
					+ "Flyway would refuse to run it.")
			.satisfies((ex) -> {
				assertThat(ex.getAction()).startsWith("Set spring.flyway.placeholders.undone_by ");
				assertThat(ex.getScript()).isEqualTo("U2__x.sql");
				assertThat(ex.getPlaceholder()).isEqualTo("undone_by");
			});
	}

	@Test
	void anUnknownBuiltInIsAnErrorListingFlywaysBuiltIns() {
		assertThatExceptionOfType(UnknownPlaceholderException.class)
			.isThrownBy(() -> Placeholders.of(flyway()).replace("${flyway:schema}", "U2__x.sql"))
			.withMessageContaining("${flyway:schema}, which is not one of Flyway's built-in placeholders "
					+ "(flyway:defaultSchema, flyway:user, flyway:database");
	}

	@Test
	void aPlaceholderThatNeverEndsIsAnError() {
		assertThatExceptionOfType(UnknownPlaceholderException.class)
			.isThrownBy(() -> Placeholders.of(flyway()).replace("SELECT '${oops';\nSELECT 1;", "U2__x.sql"))
			.withMessageContaining("U2__x.sql (line 1) opens a placeholder '${oops';…' that never ends with '}'")
			.satisfies((ex) -> assertThat(ex.getAction()).contains("spring.flyway.placeholder-prefix"));
	}

	@Test
	void replacingOnlyTheKnownOnesLeavesTheOthersAsWritten() {
		Placeholders placeholders = Placeholders.of(flyway().placeholders(Map.of("table", "items")));
		assertThat(placeholders.replaceKnown("INSERT INTO ${table} VALUES ('${who}', '${open", "V1__x.sql"))
			.isEqualTo("INSERT INTO items VALUES ('${who}', '${open");
	}

	@Test
	void nothingIsReplacedWhenPlaceholderReplacementIsOff() {
		Placeholders placeholders = Placeholders.of(flyway().placeholderReplacement(false));
		assertThat(placeholders.replace("SELECT '${anything}'", "U2__x.sql")).isEqualTo("SELECT '${anything}'");
	}

	private static FluentConfiguration flyway() {
		return Flyway.configure();
	}

}
