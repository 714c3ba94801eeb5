package io.apiforge.migrations.lint;

/**
 * Which tables the lint treats as existing: the rules about locks and breaking changes
 * apply to those only, since a table the migrations create is new and empty.
 *
 * @author apiforge
 */
public enum ExistingTables {

	/**
	 * The tables in the database when the lint runs. What the linted migrations create is
	 * new, even for the migrations after the one that creates it: right for pending
	 * migrations that are applied together, as at start-up.
	 */
	IN_DATABASE,

	/**
	 * The tables in the database, and those the linted scripts before the one at hand
	 * create: as if each migration were deployed in a release of its own, once the ones
	 * before it are in production. Right for linting every migration of a project in CI
	 * against an empty database.
	 */
	IN_DATABASE_OR_EARLIER_MIGRATIONS

}
