package io.apiforge.migrations.lint;

import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The Flyway settings that decide how a script runs and what its statements see: whether
 * it runs in a transaction, whether Flyway's own lock is transactional, and the
 * connection's set-up.
 *
 * @param executeInTransaction whether Flyway runs migrations in transactions
 * ({@code spring.flyway.execute-in-transaction})
 * @param mixed whether a script may mix transactional and non-transactional statements
 * ({@code spring.flyway.mixed})
 * @param group whether all pending migrations run in one transaction
 * ({@code spring.flyway.group})
 * @param transactionalLock whether Flyway holds its PostgreSQL advisory lock in a
 * transaction ({@code spring.flyway.postgresql.transactional-lock}, true unless set)
 * @param initSql the SQL Flyway runs on each new connection
 * ({@code spring.flyway.init-sqls}), or {@code null}
 * @param schemas the schema Flyway puts first on the search path (its default schema),
 * if any
 * @author apiforge
 */
public record FlywaySettings(boolean executeInTransaction, boolean mixed, boolean group, boolean transactionalLock,
		@Nullable String initSql, List<String> schemas) {

	private static final String POSTGRESQL_EXTENSION = "org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension";

	/**
	 * Create settings.
	 * @param executeInTransaction whether Flyway runs migrations in transactions
	 * @param mixed whether a script may mix transactional and non-transactional
	 * statements
	 * @param group whether all pending migrations run in one transaction
	 * @param transactionalLock whether Flyway holds its lock in a transaction
	 * @param initSql the SQL Flyway runs on each new connection, or {@code null}
	 * @param schemas the schema Flyway puts first on the search path, if any
	 */
	public FlywaySettings {
		schemas = List.copyOf(schemas);
	}

	/**
	 * Return Flyway's defaults.
	 * @return the settings of a Flyway configured with nothing but a data source
	 */
	public static FlywaySettings defaults() {
		return new FlywaySettings(true, false, false, true, null, List.of());
	}

	/**
	 * Read the settings of a Flyway configuration.
	 * @param configuration the configuration
	 * @return its settings
	 */
	public static FlywaySettings of(Configuration configuration) {
		String defaultSchema = configuration.getDefaultSchema();
		if (defaultSchema == null && configuration.getSchemas().length > 0) {
			defaultSchema = configuration.getSchemas()[0];
		}
		return new FlywaySettings(configuration.isExecuteInTransaction(), configuration.isMixed(),
				configuration.isGroup(), transactionalLock(configuration), configuration.getInitSql(),
				(defaultSchema != null) ? List.of(defaultSchema) : List.of());
	}

	private static boolean transactionalLock(Configuration configuration) {
		if (!ClassUtils.isPresent(POSTGRESQL_EXTENSION, FlywaySettings.class.getClassLoader())) {
			return true;
		}
		return PostgresqlExtension.isTransactionalLock(configuration);
	}

	/**
	 * Return whether the connection set-up gives every migration a {@code lock_timeout}.
	 * @return whether the init SQL sets one
	 */
	boolean initSqlSetsLockTimeout() {
		return this.initSql != null && this.initSql.toLowerCase(Locale.ROOT).contains("lock_timeout");
	}

	/**
	 * Reads Flyway's PostgreSQL settings, kept apart so that nothing loads the
	 * PostgreSQL module's classes when it is missing.
	 */
	private static final class PostgresqlExtension {

		static boolean isTransactionalLock(Configuration configuration) {
			PostgreSQLConfigurationExtension extension = configuration
				.getConfigurationExtension(PostgreSQLConfigurationExtension.class);
			return extension == null || extension.isTransactionalLock();
		}

	}

}
