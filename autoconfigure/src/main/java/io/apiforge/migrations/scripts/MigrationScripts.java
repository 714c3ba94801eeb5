package io.apiforge.migrations.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.Location;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Reads the SQL of one migration script from Flyway's configured locations, for an
 * operator who wants to see what ran or will run, and for the migration lint. Looks for
 * that one file only, on request: the endpoint's summary and the health contributor
 * never read scripts.
 *
 * @author apiforge
 */
public class MigrationScripts {

	private static final Log logger = LogFactory.getLog(MigrationScripts.class);

	private final Location[] locations;

	private final ResourcePatternResolver resolver;

	/**
	 * The files of each location by name, once walked; {@code null} when each lookup
	 * walks the location again.
	 */
	private final @Nullable Map<Location, Map<String, List<Resource>>> walked;

	/**
	 * Create a reader of the scripts in some locations that looks for each script on
	 * request, so that it always sees the files as they are.
	 * @param locations Flyway's locations
	 * @param classLoader the class loader for classpath locations
	 */
	public MigrationScripts(Location[] locations, ClassLoader classLoader) {
		this(locations, classLoader, false);
	}

	private MigrationScripts(Location[] locations, ClassLoader classLoader, boolean indexed) {
		this.locations = locations.clone();
		this.resolver = new PathMatchingResourcePatternResolver(classLoader);
		this.walked = indexed ? new ConcurrentHashMap<>() : null;
	}

	/**
	 * Create a reader for one pass over many scripts (a lint of every pending
	 * migration): it walks each location once, at its first lookup there, and finds
	 * every script in what it saw. Looking each script up on its own walks the whole
	 * location per script, which grows with the square of the number of scripts. Files
	 * added after the walk are not seen.
	 * @param locations Flyway's locations
	 * @param classLoader the class loader for classpath locations
	 * @return the reader
	 */
	public static MigrationScripts indexed(Location[] locations, ClassLoader classLoader) {
		return new MigrationScripts(locations, classLoader, true);
	}

	/**
	 * Read a script.
	 * @param script the script's name as Flyway reports it: its file name, such as
	 * {@code V2__add_price.sql}, or its path under the location, such as
	 * {@code orders/V2__add_price.sql}
	 * @return its SQL, or {@code null} when it is not a SQL script or is not found
	 */
	public @Nullable String read(String script) {
		return (script.endsWith(".sql") && isRelative(script)) ? find(script) : null;
	}

	/**
	 * Read the {@code executeInTransaction} setting of a script's {@code .sql.conf} file,
	 * with which Flyway overrides whether it runs the script in a transaction.
	 * @param script the script's name as Flyway reports it
	 * @return the setting, or {@code null} when the script has no such file or the file
	 * does not set it
	 */
	public @Nullable Boolean executeInTransaction(String script) {
		String configuration = (script.endsWith(".sql") && isRelative(script)) ? find(script + ".conf") : null;
		return (configuration != null) ? booleanSetting(configuration, "executeInTransaction") : null;
	}

	/**
	 * Read a boolean setting of a script's configuration file ({@code V2__x.sql.conf}),
	 * such as {@code executeInTransaction} or {@code placeholderReplacement}.
	 * @param configuration the file's text
	 * @param name the setting
	 * @return its value, or {@code null} when the file does not set it
	 */
	public static @Nullable Boolean booleanSetting(String configuration, String name) {
		for (String line : configuration.split("\\R")) {
			String[] setting = line.split("=", 2);
			if (setting.length == 2 && setting[0].strip().equals(name)) {
				return Boolean.valueOf(setting[1].strip());
			}
		}
		return null;
	}

	private static boolean isRelative(String script) {
		return !script.startsWith("/") && !script.contains("\\") && !script.contains("..");
	}

	/**
	 * Find a script without reading it, for a reader that bounds how much it reads.
	 * @param script the script's name as Flyway reports it
	 * @return the script's resource, or {@code null} when it is not a SQL script or is
	 * not found
	 */
	public @Nullable Resource resource(String script) {
		return (script.endsWith(".sql") && isRelative(script)) ? locate(script) : null;
	}

	private @Nullable String find(String script) {
		Resource resource = locate(script);
		if (resource == null) {
			return null;
		}
		try (InputStream input = resource.getInputStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			logger.debug("Could not read " + script + " from " + resource, ex);
			return null;
		}
	}

	private @Nullable Resource locate(String script) {
		for (Location location : this.locations) {
			String base = location.isClassPath() ? "classpath*:" + location.getRootPath()
					: location.isFileSystem() ? "file:" + location.getRootPath() : null;
			if (base == null) {
				continue;
			}
			try {
				Resource found = (this.walked != null)
						? lookUp(this.walked.computeIfAbsent(location, (key) -> walk(base)), script)
						: first(this.resolver.getResources(base + "/**/" + script));
				if (found != null) {
					return found;
				}
			}
			catch (IOException ex) {
				logger.debug("Could not look for " + script + " in " + location, ex);
			}
		}
		return null;
	}

	private static @Nullable Resource first(Resource[] resources) {
		return (resources.length > 0) ? resources[0] : null;
	}

	private Map<String, List<Resource>> walk(String base) {
		Map<String, List<Resource>> byName = new HashMap<>();
		try {
			for (Resource resource : this.resolver.getResources(base + "/**/*")) {
				String name = resource.getFilename();
				if (name != null && !name.isEmpty() && resource.isReadable()) {
					byName.computeIfAbsent(name, (key) -> new ArrayList<>()).add(resource);
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not list " + base, ex);
		}
		return byName;
	}

	/**
	 * Find a script among a location's files as {@code <location>/**}{@code /<script>}
	 * would: a file of that name whose path ends with the script's path under the
	 * location.
	 */
	private static @Nullable Resource lookUp(Map<String, List<Resource>> byName, String script) {
		String name = script.substring(script.lastIndexOf('/') + 1);
		for (Resource resource : byName.getOrDefault(name, List.of())) {
			if (!script.contains("/") || endsWith(resource, "/" + script)) {
				return resource;
			}
		}
		return null;
	}

	private static boolean endsWith(Resource resource, String path) {
		try {
			return resource.getURL().toString().endsWith(path);
		}
		catch (IOException ex) {
			return false;
		}
	}

}
