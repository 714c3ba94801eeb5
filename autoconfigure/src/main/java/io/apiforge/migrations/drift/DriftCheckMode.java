package io.apiforge.migrations.drift;

/**
 * What the start-up check does about drift ({@code migrations.drift.check}).
 *
 * @author apiforge
 */
public enum DriftCheckMode {

	/**
	 * Log the drifted objects in one paragraph and go on.
	 */
	WARN,

	/**
	 * Refuse to start (or to migrate) while objects of the schema's shape drifted; grants
	 * and owners are only logged.
	 */
	FAIL,

	/**
	 * Do not check at start-up. Fingerprints are still stored after each run, and the
	 * endpoint and the periodic check still compare.
	 */
	OFF

}
