package io.apiforge.migrations.lint;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract rules: which they are, and that only their recipes send the statement to a
 * contract migration.
 */
class LintRuleTests {

	@Test
	void theContractRulesAreTheFiveThatBreakTheRunningVersionAndAreErrors() {
		assertThat(LintRule.contractRules()).containsExactlyInAnyOrder(LintRule.DROP_COLUMN, LintRule.DROP_TABLE,
				LintRule.RENAME_COLUMN, LintRule.RENAME_TABLE, LintRule.ALTER_COLUMN_TYPE);
		assertThat(LintRule.contractRules()).allSatisfy((rule) -> assertThat(rule.severity()).isEqualTo(LintSeverity.ERROR));
	}

	@Test
	void onlyTheContractRulesRecipesNameTheContractLocations() {
		for (LintRule rule : LintRule.contractRules()) {
			assertThat(rule.recipe()).as(rule.id())
				.contains("migrations.contract.locations")
				.contains("docs/zero-downtime.md#contract-migrations")
				.doesNotContain("suppress this finding");
		}
		Set<LintRule> others = EnumSet.complementOf(EnumSet.copyOf(LintRule.contractRules()));
		for (LintRule rule : others) {
			assertThat(rule.recipe()).as(rule.id()).doesNotContain("migrations.contract.locations");
		}
	}

}
