package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the SQL script of a {@code jdbc} backup: each statement after a marker line
 * ({@value #MARKER}), {@code COPY … FROM stdin} blocks as {@code pg_dump} writes them, and
 * a trailer. It counts what it writes, so that the file can be checked against it when
 * read back (see {@link ScriptCheck}).
 *
 * @author apiforge
 */
final class ScriptWriter {

	/** The start of the comment line written before each statement. */
	static final String MARKER = "-- Type: ";

	/** The start of the last line of a complete script. */
	static final String TRAILER = "-- apiforge jdbc backup complete: ";

	/** The line that ends a COPY block. */
	static final String END_OF_COPY = "\\.";

	private final OutputStream output;

	private int statements;

	private final Map<String, Long> rows = new LinkedHashMap<>();

	ScriptWriter(OutputStream output) {
		this.output = output;
	}

	/**
	 * Write a comment, which restores nothing.
	 */
	void comment(String text) throws IOException {
		write("-- " + oneLine(text) + "\n");
	}

	/**
	 * Write one statement, without its semicolon.
	 */
	void statement(String type, String name, String sql) throws IOException {
		write("\n" + MARKER + type + "; Name: " + oneLine(name) + "\n" + sql.stripTrailing() + ";\n");
		this.statements++;
	}

	/**
	 * Write a COPY block: the statement, the rows the source writes, and its end.
	 * @param table the table, qualified and quoted
	 * @param columns the column list, quoted
	 * @param source writes the rows (COPY's text format, one line each) and returns how many
	 */
	void copy(String table, String columns, CopySource source) throws IOException {
		write("\n" + MARKER + "TABLE DATA; Name: " + oneLine(table) + "\nCOPY " + table + columnList(columns)
				+ " FROM stdin;\n");
		long count = source.copyTo(this.output);
		write(END_OF_COPY + "\n");
		this.statements++;
		this.rows.put(oneLine(table), count);
	}

	/**
	 * Write the trailer that tells a complete script from a truncated one.
	 */
	void finish() throws IOException {
		write("\n" + TRAILER + this.statements + " statements, " + this.rows.size() + " tables\n");
		this.output.flush();
	}

	int statements() {
		return this.statements;
	}

	/**
	 * Return the rows written per table, in the order they were written: the manifest.
	 */
	Map<String, Long> rows() {
		return this.rows;
	}

	private void write(String text) throws IOException {
		this.output.write(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Return a COPY column list: none for a table without columns, which PostgreSQL
	 * allows.
	 */
	static String columnList(String columns) {
		return columns.isEmpty() ? "" : " (" + columns + ")";
	}

	static String oneLine(String text) {
		return text.replace('\n', ' ').replace('\r', ' ');
	}

	/**
	 * Writes a table's rows.
	 */
	@FunctionalInterface
	interface CopySource {

		long copyTo(OutputStream output) throws IOException;

	}

}
