package io.apiforge.migrations.test;

import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.fingerprint.FingerprintReader;
import io.apiforge.migrations.fingerprint.SchemaFingerprint;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * How the kit builds Flyway for a test database: the locations, the user's own settings,
 * and the prefix of undo scripts.
 *
 * @param locations Flyway's locations
 * @param customizer the user's settings, applied after the locations
 * @param undoPrefix the prefix of undo scripts, {@code U} by default
 * @param templateVersion the version the template is migrated to, {@code null} for the
 * latest
 * @author apiforge
 */
record MigrationsSetup(List<String> locations, Consumer<FluentConfiguration> customizer, String undoPrefix,
		@Nullable String templateVersion) {

	/**
	 * Build Flyway for a database.
	 * @param dataSource the database
	 * @param target the version to migrate to, {@code null} for the latest
	 * @return Flyway
	 */
	Flyway flyway(DataSource dataSource, @Nullable String target) {
		FluentConfiguration configuration = Flyway.configure(MigrationsSetup.class.getClassLoader())
			.dataSource(dataSource)
			.locations(this.locations.toArray(String[]::new));
		this.customizer.accept(configuration);
		configuration.target((target != null) ? target : "latest");
		return configuration.load();
	}

	/**
	 * Read the fingerprint of the schemas the migrations manage in a database, without
	 * the history table.
	 * @param dataSource the database
	 * @return the fingerprint
	 */
	SchemaFingerprint fingerprint(DataSource dataSource) {
		FluentConfiguration configuration = Flyway.configure(MigrationsSetup.class.getClassLoader());
		this.customizer.accept(configuration);
		try {
			return new FingerprintReader(dataSource).read(SchemaHistory.schemasOf(configuration),
					SchemaHistory.starterTables(configuration.getTable()));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the schema's fingerprint: " + ex.getMessage(), ex);
		}
	}

	static @Nullable MigrationVersion currentVersion(Flyway flyway) {
		MigrationInfo current = flyway.info().current();
		return (current != null) ? current.getVersion() : null;
	}

	String describeLocations() {
		return String.join(", ", this.locations);
	}

}
