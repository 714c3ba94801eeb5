package io.apiforge.migrations.backup.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

import io.apiforge.migrations.backup.BackupException;

/**
 * Reads a {@code jdbc} backup back and checks it against what was written: the gzip
 * stream is intact to its end, the script ends with its trailer, and it holds as many
 * statements and, per table, as many rows as the manifest recorded during the dump.
 *
 * @author apiforge
 */
final class ScriptCheck {

	private ScriptCheck() {
	}

	/**
	 * Check a written backup.
	 * @param file the compressed script
	 * @param statements how many statements were written
	 * @param rows the rows written per table
	 * @throws BackupException when the file does not hold what was written
	 */
	static void check(Path file, int statements, Map<String, Long> rows) throws IOException {
		Contents contents;
		try {
			contents = read(file);
		}
		catch (IOException ex) {
			throw failure(file, "it cannot be read back (" + ex.getMessage() + ")");
		}
		if (!contents.complete()) {
			throw failure(file, "it does not end with its trailer, so it is truncated");
		}
		if (contents.statements() != statements) {
			throw failure(file, "it holds " + contents.statements() + " statements where " + statements + " were written");
		}
		if (!contents.rows().equals(rows)) {
			for (Map.Entry<String, Long> table : rows.entrySet()) {
				Long found = contents.rows().get(table.getKey());
				if (!Objects.equals(found, table.getValue())) {
					throw failure(file, "it holds " + ((found != null) ? found : "no") + " rows of " + table.getKey()
							+ " where " + table.getValue() + " were copied");
				}
			}
			throw failure(file, "it holds tables that were not copied: " + contents.rows().keySet());
		}
	}

	/**
	 * Read a script: its statements, its rows per table, and whether it is complete.
	 */
	static Contents read(Path file) throws IOException {
		int statements = 0;
		boolean complete = false;
		Map<String, Long> rows = new LinkedHashMap<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 65536), StandardCharsets.UTF_8),
				65536)) {
			String table = null;
			String marked = null;
			long count = 0;
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (table != null) {
					if (line.equals(ScriptWriter.END_OF_COPY)) {
						rows.put(table, count);
						table = null;
					}
					else {
						count++;
					}
				}
				else if (line.startsWith(ScriptWriter.MARKER)) {
					statements++;
					complete = false;
					marked = line.substring(line.indexOf("; Name: ") + "; Name: ".length());
				}
				else if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
					// The table as the marker above names it (the manifest's key).
					table = (marked != null) ? marked : line;
					count = 0;
				}
				else if (line.startsWith(ScriptWriter.TRAILER)) {
					complete = true;
				}
			}
		}
		return new Contents(statements, rows, complete);
	}

	private static BackupException failure(Path file, String problem) {
		return new BackupException("Verification of the jdbc backup " + file + " failed: " + problem,
				"The backup was discarded. Check the disk (space, errors), then start again; set migrations.backup.verify=false only to diagnose.",
				null);
	}

	record Contents(int statements, Map<String, Long> rows, boolean complete) {

	}

}
