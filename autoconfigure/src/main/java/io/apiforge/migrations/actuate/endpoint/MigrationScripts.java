package io.apiforge.migrations.actuate.endpoint;

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
 * request; the endpoint's summary never reads scripts.
 *
 * @author apiforge
 */
class MigrationScripts {

	private static final Log logger = LogFactory.getLog(MigrationScripts.class);

	private final Location[] locations;

	private final ResourcePatternResolver resolver;

	MigrationScripts(Location[] locations, ClassLoader classLoader) {
		this.locations = locations.clone();
		this.resolver = new PathMatchingResourcePatternResolver(classLoader);
	}

	@Nullable String read(String script) {
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
