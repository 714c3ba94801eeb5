package io.apiforge.migrations.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.Location;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Reads the SQL of one migration script from Flyway's configured locations, for an
 * operator who wants to see what ran or will run. Looks for that one file only, on
 * request: the endpoint's summary and the health contributor never read scripts.
 *
 * @author apiforge
 */
public class MigrationScripts {

	private static final Log logger = LogFactory.getLog(MigrationScripts.class);

	private final Location[] locations;

	private final ResourcePatternResolver resolver;

	/**
	 * Create a reader of the scripts in some locations.
	 * @param locations Flyway's locations
	 * @param classLoader the class loader for classpath locations
	 */
	public MigrationScripts(Location[] locations, ClassLoader classLoader) {
		this.locations = locations.clone();
		this.resolver = new PathMatchingResourcePatternResolver(classLoader);
	}

	/**
	 * Read a script.
	 * @param script the script's file name, such as {@code V2__add_price.sql}
	 * @return its SQL, or {@code null} when it is not a SQL script or is not found
	 */
	public @Nullable String read(String script) {
		if (!script.endsWith(".sql") || script.contains("/") || script.contains("\\")) {
			return null;
		}
		for (Location location : this.locations) {
			String base = location.isClassPath() ? "classpath*:" + location.getRootPath()
					: location.isFileSystem() ? "file:" + location.getRootPath() : null;
			if (base == null) {
				continue;
			}
			try {
				for (Resource resource : this.resolver.getResources(base + "/**/" + script)) {
					try (InputStream input = resource.getInputStream()) {
						return new String(input.readAllBytes(), StandardCharsets.UTF_8);
					}
				}
			}
			catch (IOException ex) {
				logger.debug("Could not read " + script + " from " + location, ex);
			}
		}
		return null;
	}

}
