package io.apiforge.migrations.flyway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ClassProvider;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.extensibility.Plugin;
import org.flywaydb.core.extensibility.ResourceType;
import org.flywaydb.core.extensibility.ResourceTypeProvider;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.info.MigrationInfoImpl;
import org.flywaydb.core.internal.plugin.PluginRegister;
import org.flywaydb.core.internal.scanner.Scanner;
import org.flywaydb.core.internal.util.Pair;
import org.jspecify.annotations.Nullable;

/**
 * Every use of Flyway's internal classes, for what its public API does not offer (checked
 * against Flyway 11.14 and 12.4):
 * <ul>
 * <li>{@link FlywayMigrateException}: the script, line, SQL state and transactionality of
 * a failed migration. Flyway throws it from {@code migrate()}; the public
 * {@link FlywayException} carries none of them.</li>
 * <li>{@link MigrationInfoImpl}: whether a pending migration runs in a transaction
 * ({@code CREATE INDEX CONCURRENTLY} does not). {@link MigrationInfo} does not say; the
 * resolved migration behind it does.</li>
 * <li>{@link PluginRegister}: finding a Flyway plugin of the starter's own, such as the
 * undo-script provider, to configure it. {@link Configuration#getPluginRegister()} is
 * public but returns this internal type; {@link Configuration#getConfigurationExtension}
 * is the public way for configuration extensions and is used for them.</li>
 * <li>{@link Pair}: the return type of the plugin SPI
 * {@link ResourceTypeProvider#getPrefixTypePairs}, the only way to teach Flyway's name
 * validation a prefix of its own.</li>
 * <li>{@link Scanner}: scanning a configuration's locations the way Flyway does before
 * each command, once, so that many Flyway instances that share their locations (tenants)
 * can be given the result through the public
 * {@link org.flywaydb.core.api.configuration.FluentConfiguration#resourceProvider} and
 * {@link org.flywaydb.core.api.configuration.FluentConfiguration#javaMigrationClassProvider}.
 * Flyway offers no public way to run its own scan.</li>
 * </ul>
 * Nothing else in the starter may import {@code org.flywaydb.core.internal..} (the
 * architecture test enforces it), and {@code FlywayInternalsTests} checks every class and
 * member used here against the Flyway on the classpath. Where a call may meet a Flyway
 * without the internal (an application on a newer Flyway than the starter was tested
 * with), it answers "unknown" instead of failing the migration.
 *
 * @author apiforge
 */
public final class FlywayInternals {

	private static final String VERSION_RESOURCE = "org/flywaydb/core/internal/version.txt";

	private FlywayInternals() {
	}

	/**
	 * Return the migration failure in a chain of causes, with what Flyway knows about it.
	 * @param failure what {@code migrate()} threw
	 * @return the failed migration, or {@code null} if the chain holds no failure of a
	 * migration (or this Flyway no longer has the class that tells)
	 */
	public static @Nullable FailedMigration failedMigration(Throwable failure) {
		try {
			Throwable candidate = failure;
			while (candidate != null) {
				if (candidate instanceof FlywayMigrateException migrateFailure) {
					return new FailedMigration(migrateFailure, migrateFailure.getMigration(),
							migrateFailure.getLineNumber(), migrateFailure.getSqlState(),
							migrateFailure.isExecutableInTransaction());
				}
				candidate = (candidate.getCause() != candidate) ? candidate.getCause() : null;
			}
			return null;
		}
		catch (LinkageError ex) {
			// A Flyway that moved the internal: describe the failure from the public API only
			return null;
		}
	}

	/**
	 * Return whether a migration runs inside a transaction.
	 * @param migration a migration from {@code flyway.info()}
	 * @return {@code true} or {@code false}, or {@code null} if Flyway does not tell (an
	 * applied migration whose script is gone, or a Flyway without the internal)
	 */
	public static @Nullable Boolean executesInTransaction(MigrationInfo migration) {
		try {
			if (migration instanceof MigrationInfoImpl impl) {
				ResolvedMigration resolved = impl.getResolvedMigration();
				MigrationExecutor executor = (resolved != null) ? resolved.getExecutor() : null;
				return (executor != null) ? executor.canExecuteInTransaction() : null;
			}
			return null;
		}
		catch (LinkageError ex) {
			// A Flyway that moved the internal: the plan shows the transaction as unknown
			return null;
		}
	}

	/**
	 * Return the plugin of exactly this class that Flyway registered for a configuration.
	 * @param <T> the plugin's type
	 * @param configuration Flyway's configuration
	 * @param type the plugin's class
	 * @return the configuration's instance of the plugin, or {@code null} if Flyway did
	 * not load it
	 */
	public static <T extends Plugin> @Nullable T plugin(Configuration configuration, Class<T> type) {
		return configuration.getPluginRegister().getExact(type);
	}

	/**
	 * Scan a configuration's locations the way Flyway does before each of its commands:
	 * the same location handlers (classpath, filesystem, and those of Flyway's plugins),
	 * encoding and {@code failOnMissingLocations}.
	 * @param configuration the configuration whose locations to scan
	 * @return the scripts and Java migration classes found, as the providers Flyway's
	 * configuration accepts
	 */
	public static ScannedLocations scan(Configuration configuration) {
		Scanner<JavaMigration> scanner = new Scanner<>(JavaMigration.class, configuration,
				configuration.getLocations());
		return new ScannedLocations(scanner, scanner);
	}

	/**
	 * Return the version of the Flyway on the classpath, for messages that must say which
	 * Flyway changed.
	 * @return the version, such as {@code 12.4.0}, or {@code unknown}
	 */
	public static String flywayVersion() {
		// Flyway's jar has no Implementation-Version; it keeps its version in a resource
		try (InputStream in = Flyway.class.getClassLoader().getResourceAsStream(VERSION_RESOURCE)) {
			if (in != null) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
			}
		}
		catch (IOException ex) {
			// fall through to unknown
		}
		return "unknown";
	}

	/**
	 * What Flyway knows about a migration that failed.
	 *
	 * @param exception Flyway's exception, with the database's error as its cause
	 * @param migration the migration that failed
	 * @param lineNumber the line of the failing statement in the script, or {@code -1}
	 * @param sqlState the SQL state of the database's error, if any
	 * @param executableInTransaction whether the migration ran in a transaction (and so
	 * was rolled back as a whole)
	 */
	public record FailedMigration(FlywayException exception, MigrationInfo migration, int lineNumber,
			@Nullable String sqlState, boolean executableInTransaction) {

	}

	/**
	 * What a scan of Flyway's locations found. Flyway builds it once and only reads it
	 * afterwards; {@link ResourceProvider#getResource} of an absolute path fills a map on
	 * first use, so a caller sharing it across threads must serialize that call.
	 *
	 * @param resources the scripts (and their {@code .conf} files)
	 * @param javaMigrations the Java migration classes
	 */
	public record ScannedLocations(ResourceProvider resources, ClassProvider<JavaMigration> javaMigrations) {

	}

	/**
	 * A Flyway plugin that makes Flyway's file-name validation accept the scripts of one
	 * more prefix. Extend it instead of implementing {@link ResourceTypeProvider}, whose
	 * method returns an internal type.
	 */
	public abstract static class PrefixResourceTypeProvider implements ResourceTypeProvider {

		/**
		 * Return the prefix of the scripts.
		 * @return the prefix, such as {@code U}
		 */
		public abstract String getPrefix();

		/**
		 * Return the kind of the scripts of the prefix.
		 * @return the resource type
		 */
		protected abstract ResourceType getResourceType();

		@Override
		public final List<Pair<String, ResourceType>> getPrefixTypePairs(Configuration configuration) {
			return List.of(Pair.of(getPrefix(), getResourceType()));
		}

	}

}
