package io.apiforge.migrations.backup.pgdump;

/**
 * The output format of {@code pg_dump}.
 *
 * @author apiforge
 */
public enum PgDumpFormat {

	/**
	 * PostgreSQL's compressed archive ({@code -Fc}), restored with {@code pg_restore};
	 * verifiable with {@code pg_restore --list}. Files end in {@code .dump}.
	 */
	CUSTOM("custom", ".dump"),

	/**
	 * A plain SQL script, restored with {@code psql}. Files end in {@code .sql}.
	 */
	PLAIN("plain", ".sql"),

	/**
	 * PostgreSQL's directory format ({@code -Fd}): one directory, a table of contents and
	 * a compressed file per table, which {@code pg_dump --jobs} writes and
	 * {@code pg_restore --jobs} reads with several connections at once; verifiable with
	 * {@code pg_restore --list}. Directories end in {@code .dir}.
	 */
	DIRECTORY("directory", ".dir");

	private final String option;

	private final String extension;

	PgDumpFormat(String option, String extension) {
		this.option = option;
		this.extension = extension;
	}

	/**
	 * Return the value of {@code pg_dump --format}.
	 * @return the format option
	 */
	public String option() {
		return this.option;
	}

	/**
	 * Return whether {@code pg_restore} (rather than {@code psql}) reads backups of this
	 * format.
	 * @return whether it is an archive format
	 */
	public boolean isArchive() {
		return this != PLAIN;
	}

	/**
	 * Return the file extension, with its dot.
	 * @return the extension
	 */
	public String extension() {
		return this.extension;
	}

}
