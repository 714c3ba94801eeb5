package io.apiforge.migrations.backup;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Why a backup was taken. Backup names and their metadata say it, and retention counts
 * each kind apart, so that frequent backups on request never evict the one taken before
 * the last migration.
 *
 * @author apiforge
 */
public enum BackupKind {

	/**
	 * Taken before pending migrations ran.
	 */
	PRE_MIGRATION,

	/**
	 * Taken before a rollback undid applied versions.
	 */
	PRE_ROLLBACK,

	/**
	 * Taken before contract migrations ran (in their own history, see
	 * {@code migrations.contract.locations}).
	 */
	PRE_CONTRACT,

	/**
	 * Taken on an operator's request ({@code POST /actuator/migrations}
	 * {@code operation=backup}), with nothing migrated after it.
	 */
	ON_REQUEST;

	/**
	 * Return the label of this kind in file names, metadata and the endpoint, such as
	 * {@code pre-migration}.
	 * @return the label
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Return the kind a label names.
	 * @param label a label, such as {@code on-request}
	 * @return the kind, or {@code null} when the label names none
	 */
	public static @Nullable BackupKind ofLabel(@Nullable String label) {
		for (BackupKind kind : values()) {
			if (kind.label().equals(label)) {
				return kind;
			}
		}
		return null;
	}

}
