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
	PLAIN("plain", ".sql");

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
	 * Return the file extension, with its dot.
	 * @return the extension
	 */
	public String extension() {
		return this.extension;
	}

}
