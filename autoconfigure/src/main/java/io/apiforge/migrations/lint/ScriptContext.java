package io.apiforge.migrations.lint;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What the rules know while they read one script: the schema as the migrations leave it
 * so far, how Flyway runs the script, and what earlier statements of the script set up
 * (a {@code lock_timeout}, an explicit transaction).
 *
 * @author apiforge
 */
final class ScriptContext {

	private final String script;

	private final SchemaView schema;

	private final ScriptExecution execution;

	private final FlywaySettings settings;

	private final boolean groupRefused;

	private final boolean lockTimeoutPreset;

	private boolean lockTimeout;

	private boolean lockTimeoutReported;

	private @Nullable Integer transactionOpenedAt;

	private final Map<String, LintRule> addedNotValid = new HashMap<>();

	/**
	 * Create the context of one script.
	 * @param script the script's name
	 * @param schema the schema as the scripts before it leave it
	 * @param execution how Flyway runs it
	 * @param settings the Flyway settings
	 * @param groupRefused whether Flyway refuses the group of pending migrations this
	 * script belongs to
	 * @param lockTimeoutPreset whether every connection already has a
	 * {@code lock_timeout} (role, database or Flyway's init SQL)
	 */
	ScriptContext(String script, SchemaView schema, ScriptExecution execution, FlywaySettings settings,
			boolean groupRefused, boolean lockTimeoutPreset) {
		this.script = script;
		this.schema = schema;
		this.execution = execution;
		this.settings = settings;
		this.groupRefused = groupRefused;
		this.lockTimeoutPreset = lockTimeoutPreset;
		this.lockTimeout = lockTimeoutPreset;
	}

	String script() {
		return this.script;
	}

	SchemaView schema() {
		return this.schema;
	}

	ScriptExecution execution() {
		return this.execution;
	}

	FlywaySettings settings() {
		return this.settings;
	}

	boolean groupRefused() {
		return this.groupRefused;
	}

	boolean hasLockTimeout() {
		return this.lockTimeout;
	}

	/**
	 * Record a {@code SET lock_timeout}.
	 * @param set whether it sets a timeout ({@code false} for {@code 0});
	 * {@code null} for {@code DEFAULT} or {@code RESET}, which go back to the session's
	 * own
	 */
	void lockTimeoutSet(@Nullable Boolean set) {
		this.lockTimeout = (set != null) ? set : this.lockTimeoutPreset;
	}

	/**
	 * Return whether {@code missing-lock-timeout} is still to be reported for this
	 * script, and remember that it now is.
	 * @return whether to report it
	 */
	boolean reportLockTimeoutOnce() {
		boolean first = !this.lockTimeoutReported;
		this.lockTimeoutReported = true;
		return first;
	}

	@Nullable Integer transactionOpenedAt() {
		return this.transactionOpenedAt;
	}

	void transactionOpened(int line) {
		this.transactionOpenedAt = line;
	}

	void transactionEnded() {
		this.transactionOpenedAt = null;
	}

	/**
	 * Remember a constraint this script adds {@code NOT VALID} to an existing table.
	 * @param table the table
	 * @param constraint the constraint's name
	 * @param rule the rule its validation would fall under
	 */
	void addedNotValid(TableKey table, String constraint, LintRule rule) {
		this.addedNotValid.put(table + "/" + constraint, rule);
	}

	/**
	 * Return the rule of a constraint this script added {@code NOT VALID}.
	 * @param table the table
	 * @param constraint the constraint's name
	 * @return the rule, or {@code null} when this script did not add it
	 */
	@Nullable LintRule addedNotValid(TableKey table, String constraint) {
		return this.addedNotValid.get(table + "/" + constraint);
	}

}
