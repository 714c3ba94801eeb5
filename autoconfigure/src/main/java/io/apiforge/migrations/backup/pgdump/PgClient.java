package io.apiforge.migrations.backup.pgdump;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupException;

/**
 * A PostgreSQL client program ({@code pg_dump}, {@code pg_restore}, {@code psql}): where
 * it is and which version it is.
 *
 * @param path the executable
 * @param major its major version, such as {@code 15}
 * @param version its full version, such as {@code 15.18}
 * @author apiforge
 */
public record PgClient(Path path, int major, String version) {

	private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+)(\\.\\d+)?");

	private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The versions read so far, by executable. Asking is a child process each time (on
	 * Debian a Perl wrapper that picks the client), and the start-up check, the
	 * {@code auto} strategy's choice and every backup ask: an executable that has not
	 * changed on disk since is not asked again.
	 */
	private static final ConcurrentMap<Path, Known> known = new ConcurrentHashMap<>();

	/**
	 * Find a client program and read its version.
	 * @param name the program, such as {@code pg_dump}
	 * @param configured the configured path of {@code pg_dump}, or {@code null}; other
	 * programs are looked for beside it
	 * @param property the property that configures the path, for error messages
	 * @return the client
	 * @throws BackupException when the program is missing or does not say its version
	 */
	public static PgClient find(String name, @Nullable Path configured, String property) {
		return find(name, configured, property, System.getenv("PATH"));
	}

	/**
	 * Find a client program without running it: only the file system is read.
	 * @param name the program, such as {@code pg_dump}
	 * @param configured the configured path of {@code pg_dump}, or {@code null}; other
	 * programs are looked for beside it
	 * @param property the property that configures the path, for error messages
	 * @return the executable
	 * @throws BackupException when the program is missing
	 */
	public static Path locate(String name, @Nullable Path configured, String property) {
		return locate(name, configured, property, System.getenv("PATH"));
	}

	static PgClient find(String name, @Nullable Path configured, String property, @Nullable String pathVariable) {
		Path path = locate(name, configured, property, pathVariable);
		Object stamp = stampOf(path);
		Known cached = known.get(path);
		if (cached != null && stamp != null && cached.stamp().equals(stamp)) {
			return cached.client();
		}
		PgClient client = readVersion(name, path, property);
		if (stamp != null) {
			known.put(path, new Known(stamp, client));
		}
		return client;
	}

	private static PgClient readVersion(String name, Path path, String property) {
		ChildProcess.Result result = ChildProcess.run(List.of(path.toString(), "--version"), Map.of(), VERSION_TIMEOUT,
				VERSION_TIMEOUT, null, (size) -> {
				});
		Matcher matcher = VERSION.matcher(result.output());
		if (result.exitCode() != 0 || !matcher.find()) {
			throw new BackupException(path + " --version did not report a PostgreSQL version (exit code "
					+ result.exitCode() + ": " + result.output().strip() + ")",
					"Point " + property + " at a PostgreSQL " + name + " executable.", null);
		}
		String version = matcher.group(1) + ((matcher.group(2) != null) ? matcher.group(2) : "");
		return new PgClient(path, Integer.parseInt(matcher.group(1)), version);
	}

	private static Path locate(String name, @Nullable Path configured, String property,
			@Nullable String pathVariable) {
		if (configured != null) {
			Path candidate = name.equals("pg_dump") ? configured : siblingOf(configured, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
			throw new BackupException(
					"No executable " + name + " at " + candidate + (name.equals("pg_dump") ? " (" + property + ")"
							: " (looked for beside " + configured + ", set by " + property + ")"),
					"Set " + property + " to the pg_dump of a PostgreSQL client installation (with pg_restore and psql beside it), "
							+ "or remove it to look for pg_dump on the PATH.",
					null);
		}
		if (pathVariable != null) {
			for (String directory : pathVariable.split(File.pathSeparator)) {
				if (!directory.isEmpty()) {
					Path candidate = Path.of(directory, name);
					if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
						return candidate;
					}
				}
			}
		}
		throw new BackupException("No " + name + " found on the PATH (" + pathVariable + ")",
				"Install the PostgreSQL client of your server's major version or newer (Debian/Ubuntu: apt-get install postgresql-client-<major>; "
						+ "Alpine: apk add postgresql<major>-client), set " + property
						+ " to its pg_dump, choose migrations.backup.strategy=none to migrate without a backup, "
						+ "or define your own BackupStrategy bean.",
				null);
	}

	/**
	 * What tells that an executable changed: the file it resolves to (a symbolic link
	 * may be repointed), its size and its modification time.
	 */
	private static @Nullable Object stampOf(Path path) {
		try {
			Path real = path.toRealPath();
			return List.of(real, Files.size(real), Files.getLastModifiedTime(real));
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static Path siblingOf(Path pgDump, String name) {
		Path directory = pgDump.toAbsolutePath().getParent();
		return (directory != null) ? directory.resolve(name) : Path.of(name);
	}

	private record Known(Object stamp, PgClient client) {
	}

	@Override
	public String toString() {
		return this.path.getFileName() + " " + this.version + " (" + this.path + ")";
	}

}
