package io.apiforge.migrations.rollback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

import io.apiforge.migrations.scripts.MigrationScripts;

/**
 * The undo scripts in Flyway's locations: {@code U2__add_phone.sql} undoes version 2.
 * They are found by the undo prefix, the version and Flyway's separator and SQL suffixes,
 * anywhere below a location, like Flyway finds its own scripts.
 *
 * @author apiforge
 */
public final class UndoScripts {

	private final Map<MigrationVersion, UndoScript> scripts;

	private UndoScripts(Map<MigrationVersion, UndoScript> scripts) {
		this.scripts = scripts;
	}

	/**
	 * Find the undo scripts of a Flyway configuration.
	 * @param configuration Flyway's configuration (locations, separator, suffixes)
	 * @param prefix the undo prefix
	 * @return the scripts found
	 */
	public static UndoScripts find(Configuration configuration, String prefix) {
		ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(configuration.getClassLoader());
		Map<MigrationVersion, UndoScript> scripts = new LinkedHashMap<>();
		for (Location location : configuration.getLocations()) {
			String base = location.isClassPath() ? "classpath*:" + location.getRootPath()
					: location.isFileSystem() ? "file:" + location.getRootPath() : null;
			if (base == null) {
				continue;
			}
			for (String suffix : configuration.getSqlMigrationSuffixes()) {
				Pattern name = Pattern.compile(Pattern.quote(prefix) + "(\\d+(?:[._]\\d+)*)"
						+ Pattern.quote(configuration.getSqlMigrationSeparator()) + ".*" + Pattern.quote(suffix));
				for (Resource resource : resources(resolver, base + "/**/" + prefix + "*" + suffix)) {
					String filename = resource.getFilename();
					Matcher matcher = (filename != null) ? name.matcher(filename) : null;
					if (matcher != null && matcher.matches()) {
						scripts.putIfAbsent(MigrationVersion.fromVersion(matcher.group(1).replace('_', '.')),
								new UndoScript(filename, resource));
					}
				}
			}
		}
		return new UndoScripts(scripts);
	}

	private static Resource[] resources(ResourcePatternResolver resolver, String pattern) {
		try {
			return resolver.getResources(pattern);
		}
		catch (IOException ex) {
			// A location that does not exist holds no undo script.
			return new Resource[0];
		}
	}

	/**
	 * Return the undo script of a version.
	 * @param version the version
	 * @return the script, or {@code null} when there is none
	 */
	public @Nullable UndoScript forVersion(MigrationVersion version) {
		return this.scripts.get(version);
	}

	/**
	 * An undo script.
	 *
	 * @param filename its file name
	 * @param resource where it is
	 */
	public record UndoScript(String filename, Resource resource) {

		/**
		 * Read a boolean setting of the script's configuration file
		 * ({@code U2__add_phone.sql.conf}, as Flyway reads one beside a migration):
		 * {@code executeInTransaction} or {@code placeholderReplacement}.
		 * @param name the setting
		 * @return its value, or {@code null} when there is no such file or it does not set
		 * it
		 */
		public @Nullable Boolean setting(String name) {
			try {
				Resource configuration = this.resource.createRelative(this.filename + ".conf");
				if (!configuration.exists()) {
					return null;
				}
				try (InputStream input = configuration.getInputStream()) {
					return MigrationScripts.booleanSetting(new String(input.readAllBytes(), StandardCharsets.UTF_8), name);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read " + this.filename + ".conf", ex);
			}
		}

		/**
		 * Read the script.
		 * @return its SQL
		 */
		public String sql() {
			try (InputStream input = this.resource.getInputStream()) {
				return new String(input.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the undo script " + this.filename, ex);
			}
		}

	}

}
