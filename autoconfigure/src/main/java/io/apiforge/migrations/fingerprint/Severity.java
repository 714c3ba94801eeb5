package io.apiforge.migrations.fingerprint;

/**
 * How much a difference in an object of a fingerprint matters.
 *
 * @author apiforge
 */
public enum Severity {

	/**
	 * The shape of the schema: what a migration or a query sees (tables, columns,
	 * indexes, functions and so on).
	 */
	SCHEMA,

	/**
	 * Who may do what, and who owns what: grants and owners, which often differ between
	 * environments on purpose.
	 */
	PRIVILEGES

}
