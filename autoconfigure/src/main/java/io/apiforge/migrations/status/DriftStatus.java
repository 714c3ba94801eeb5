package io.apiforge.migrations.status;

/**
 * What a comparison of the live schema with the stored reference of its version found.
 *
 * @author apiforge
 */
public enum DriftStatus {

	/**
	 * The live schema is the one the reference describes.
	 */
	NONE,

	/**
	 * Objects were added, removed or changed since the reference was stored.
	 */
	DRIFTED,

	/**
	 * No reference is stored for the current version: nothing to compare with.
	 */
	NO_REFERENCE,

	/**
	 * Another instance holds the migration lock: a migration is in progress, and what
	 * it changes is not drift. Nothing was compared.
	 */
	SKIPPED

}
