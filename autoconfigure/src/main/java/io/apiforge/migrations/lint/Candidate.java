package io.apiforge.migrations.lint;

/**
 * What a rule objects to in a statement, before suppressions are applied.
 *
 * @param rule the rule
 * @param message what is wrong, naming the table and column
 * @author apiforge
 */
record Candidate(LintRule rule, String message) {

}
