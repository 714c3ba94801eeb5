package io.apiforge.migrations.backup.pgdump;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schemas a {@code pg_dump} archive holds, read from its table of contents: the lines
 * of {@code pg_restore --list} (custom format) or the {@code -- Name: …; Schema: …}
 * headers of a plain script. A schema counts when the archive creates it or holds an
 * object in it.
 * <p>
 * Names in these listings are not quoted, so a name with a space cannot be split off
 * reliably. Instead, each line is matched against the schemas the database had when the
 * dump started (longest first); schema entries of a list are matched by their catalog
 * OID, which is exact.
 *
 * @author apiforge
 */
final class ArchiveSchemas {

	private static final String NAMESPACE_CATALOG = "2615";

	private static final Pattern LIST_LINE = Pattern.compile("^\\d+; (\\d+) (\\d+) (.*)$");

	/** Entry types of a listing that name a schema, longest first where one is a prefix. */
	private static final List<String> TYPES = List.of("TABLE DATA", "TABLE ATTACH", "TABLE", "VIEW",
			"MATERIALIZED VIEW DATA", "MATERIALIZED VIEW", "FOREIGN TABLE", "SEQUENCE SET", "SEQUENCE OWNED BY",
			"SEQUENCE", "INDEX ATTACH", "INDEX", "FK CONSTRAINT", "CHECK CONSTRAINT", "CONSTRAINT", "DEFAULT ACL",
			"DEFAULT", "TRIGGER", "RULE", "POLICY", "ROW SECURITY", "FUNCTION", "PROCEDURE", "AGGREGATE", "SHELL TYPE",
			"TYPE", "DOMAIN", "OPERATOR CLASS", "OPERATOR FAMILY", "OPERATOR", "COLLATION", "CONVERSION", "STATISTICS",
			"TEXT SEARCH CONFIGURATION", "TEXT SEARCH DICTIONARY", "TEXT SEARCH PARSER", "TEXT SEARCH TEMPLATE",
			"PUBLICATION TABLE", "COMMENT", "SECURITY LABEL", "ACL");

	private final Map<Long, String> namespaces;

	private final List<String> candidates;

	private final Set<String> found = new LinkedHashSet<>();

	/**
	 * Create a reader.
	 * @param namespaces the database's schemas by OID, read before the dump
	 */
	ArchiveSchemas(Map<Long, String> namespaces) {
		this(namespaces, namespaces.values());
	}

	ArchiveSchemas(Map<Long, String> namespaces, Collection<String> candidates) {
		this.namespaces = namespaces;
		List<String> sorted = new ArrayList<>(new LinkedHashSet<>(candidates));
		sorted.sort(Comparator.comparingInt(String::length).reversed());
		this.candidates = sorted;
	}

	/**
	 * Read one line of {@code pg_restore --list}, such as
	 * {@code 215; 1259 16387 TABLE Billing orders app}.
	 * @param line the line
	 */
	void listLine(String line) {
		Matcher matcher = LIST_LINE.matcher(line);
		if (!matcher.matches()) {
			return;
		}
		String entry = matcher.group(3);
		if (NAMESPACE_CATALOG.equals(matcher.group(1)) && entry.startsWith("SCHEMA - ")) {
			String name = this.namespaces.get(Long.parseLong(matcher.group(2)));
			if (name != null) {
				this.found.add(name);
			}
			return;
		}
		for (String type : TYPES) {
			if (entry.startsWith(type + " ")) {
				String rest = entry.substring(type.length() + 1);
				for (String candidate : this.candidates) {
					if (rest.startsWith(sanitized(candidate) + " ")) {
						this.found.add(candidate);
						return;
					}
				}
				return;
			}
		}
	}

	/**
	 * Read one line of a plain script; only the headers pg_dump writes before each
	 * object count, such as {@code -- Name: orders; Type: TABLE; Schema: Billing; Owner: app}.
	 * @param line the line
	 */
	void scriptLine(String line) {
		if (!line.startsWith("-- ")) {
			return;
		}
		for (String candidate : this.candidates) {
			String name = sanitized(candidate);
			if (line.startsWith("-- Name: " + name + "; Type: SCHEMA; Schema: -; Owner: ")
					|| line.contains("; Schema: " + name + "; Owner: ")) {
				this.found.add(candidate);
				return;
			}
		}
	}

	/**
	 * Return the schemas the archive holds.
	 * @return the schemas, sorted
	 */
	Set<String> found() {
		return new TreeSet<>(this.found);
	}

	// pg_dump replaces line breaks in names with spaces in its listings and headers
	private static String sanitized(String name) {
		return name.replace('\n', ' ').replace('\r', ' ');
	}

}
