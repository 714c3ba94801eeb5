package io.apiforge.migrations.operations;

import java.util.Arrays;
import java.util.Collection;
import java.util.stream.Collectors;

import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.flyway.FlywayInternals;
import io.apiforge.migrations.flyway.FlywayInternals.ScannedLocations;

/**
 * The tenant migrations of one fan-out: the tenant locations scanned once, and the
 * scripts and Java migration classes found given to every tenant's Flyway. Without it,
 * each Flyway command scans the same locations again: four scans per tenant (the
 * inspection, the inspection under the lock, the migration, the inspection after it).
 * <p>
 * Only the listing is shared. Flyway still reads each script when it computes its
 * checksum, so validation sees a script's content as it is; and the next fan-out scans
 * again, so a script added or changed between two fan-outs is seen. Within one fan-out
 * every tenant gets the same list of scripts. When the application's Flyway has a
 * resource provider or Java migration class provider of its own, that one is kept.
 *
 * @author apiforge
 */
final class TenantScripts {

	private final @Nullable ResourceProvider resources;

	private final @Nullable ClassProvider<JavaMigration> javaMigrations;

	private TenantScripts(@Nullable ResourceProvider resources, @Nullable ClassProvider<JavaMigration> javaMigrations) {
		this.resources = resources;
		this.javaMigrations = javaMigrations;
	}

	/**
	 * Scan the locations of a tenant configuration, unless it has providers of its own.
	 * @param configuration a tenant's configuration, without its tenant
	 * @return the scripts, for every tenant of a fan-out
	 * @throws MigrationsException when Flyway cannot scan a location
	 */
	static TenantScripts scan(FluentConfiguration configuration) {
		if (configuration.getResourceProvider() != null && configuration.getJavaMigrationClassProvider() != null) {
			return new TenantScripts(null, null);
		}
		try {
			ScannedLocations scanned = FlywayInternals.scan(configuration);
			return new TenantScripts(new SharedResourceProvider(scanned.resources()), scanned.javaMigrations());
		}
		catch (FlywayException ex) {
			String locations = Arrays.stream(configuration.getLocations())
				.map(Object::toString)
				.collect(Collectors.joining(", "));
			throw new MigrationsException(
					"Could not scan the tenant migrations in " + locations + ": " + ex.getMessage()
							+ " No tenant was migrated.",
					"Check migrations.tenants.locations: each location must exist (classpath:db/tenant by default).",
					ex);
		}
	}

	/**
	 * Give a tenant's configuration the scripts and classes found, where it has no
	 * provider of its own.
	 * @param configuration the tenant's configuration
	 * @return the configuration
	 */
	FluentConfiguration applyTo(FluentConfiguration configuration) {
		if (this.resources != null && configuration.getResourceProvider() == null) {
			configuration.resourceProvider(this.resources);
		}
		if (this.javaMigrations != null && configuration.getJavaMigrationClassProvider() == null) {
			configuration.javaMigrationClassProvider(this.javaMigrations);
		}
		return configuration;
	}

	/**
	 * Flyway's scan result, read by several tenants at once: its lookup of an absolute
	 * path fills a map on first use, so lookups by name take turns; listing only reads.
	 */
	private static final class SharedResourceProvider implements ResourceProvider {

		private final ResourceProvider delegate;

		SharedResourceProvider(ResourceProvider delegate) {
			this.delegate = delegate;
		}

		@Override
		public synchronized @Nullable LoadableResource getResource(String name) {
			return this.delegate.getResource(name);
		}

		@Override
		public Collection<LoadableResource> getResources(String prefix, String... suffixes) {
			return this.delegate.getResources(prefix, suffixes);
		}

	}

}
