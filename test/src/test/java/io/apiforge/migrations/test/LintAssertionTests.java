package io.apiforge.migrations.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

import io.apiforge.migrations.lint.LintFinding;
import io.apiforge.migrations.lint.LintSeverity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lint assertion on a migration that indexes an existing table the blocking way.
 */
class LintAssertionTests {

	@RegisterExtension
	static MigrationsExtension migrations = MigrationsExtension.locations("classpath:db/unsafe");

	@Test
	void aWarningFailsTheAssertionAtWarningNamingScriptLineRuleAndTheSafeWay(Migrations migrations) {
		assertThatExceptionOfType(AssertionFailedError.class)
			.isThrownBy(() -> migrations.assertLint(LintSeverity.WARNING))
			.withMessageStartingWith("Migration lint found 2 findings at or above warning in classpath:db/unsafe")
			.withMessageContaining("V2__index_names.sql:2 [warning] create-index-without-concurrently")
			.withMessageContaining("V2__index_names.sql:2 [warning] missing-lock-timeout")
			.withMessageContaining("create-index-without-concurrently: Use CREATE INDEX CONCURRENTLY")
			.withMessageContaining("-- migrations:allow <rule-id> <reason>");
	}

	@Test
	void warningsPassTheAssertionAtError(Migrations migrations) {
		assertThat(migrations.assertLint(LintSeverity.ERROR).findings()).extracting(LintFinding::rule)
			.containsExactlyInAnyOrder("create-index-without-concurrently", "missing-lock-timeout");
	}

}
