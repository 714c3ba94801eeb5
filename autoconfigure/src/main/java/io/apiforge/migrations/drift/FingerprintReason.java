package io.apiforge.migrations.drift;

import java.util.Locale;

/**
 * Why a fingerprint was stored as the reference of a version.
 *
 * @author apiforge
 */
public enum FingerprintReason {

	/**
	 * A migration left the schema at this version.
	 */
	MIGRATE,

	/**
	 * A rollback left the schema at this version.
	 */
	ROLLBACK,

	/**
	 * The start-up check found no reference for the version (a database that adopts the
	 * starter) and took the live schema as the reference.
	 */
	BASELINE,

	/**
	 * An operator accepted the live schema as the reference.
	 */
	ACCEPTED;

	/**
	 * Return the reason as the table stores it.
	 * @return such as {@code migrate}
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	static FingerprintReason ofLabel(String label) {
		return valueOf(label.toUpperCase(Locale.ROOT));
	}

}
