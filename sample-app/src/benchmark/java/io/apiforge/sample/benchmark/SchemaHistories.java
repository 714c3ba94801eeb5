package io.apiforge.sample.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.ValidateResult;

import org.springframework.jdbc.core.JdbcTemplate;

import io.apiforge.migrations.testsupport.TestDatabase;

/**
 * Prepares the schema history a case starts from, with Flyway's own API in the
 * benchmark's JVM (outside what is measured): applies generated migrations up to a
 * version, or records a long history without running it.
 *
 * @author apiforge
 */
final class SchemaHistories {

	private SchemaHistories() {
	}

	/**
	 * Apply the migrations of a directory up to a version.
	 * @param database the database
	 * @param migrations the directory
	 * @param target the last version to apply
	 */
	static void apply(TestDatabase database, Path migrations, String target) {
		flyway(database, migrations).target(target).load().migrate();
	}

	/**
	 * Record every migration of a directory as applied, fast: Flyway applies the first
	 * (which creates the history table), then the others' rows are inserted into
	 * {@code flyway_schema_history} at once, with the checksums Flyway itself computes, so
	 * that Flyway validates the history as its own. Applying ten thousand through Flyway
	 * takes about ten minutes (it refreshes its view of every migration after each one);
	 * this takes seconds. Their SQL is not run: with nothing pending, no start reads it.
	 * @param database the database
	 * @param migrations the directory
	 * @param firstVersion the first version in it
	 * @return how many rows the history holds
	 */
	static int record(TestDatabase database, Path migrations, String firstVersion) {
		apply(database, migrations, firstVersion);
		Flyway flyway = flyway(database, migrations).load();
		List<Object[]> rows = new ArrayList<>();
		int rank = 1;
		for (MigrationInfo info : flyway.info().all()) {
			if (info.getState() == MigrationState.PENDING) {
				rank++;
				rows.add(new Object[] { rank, info.getVersion().getVersion(), info.getDescription(), "SQL",
						info.getScript(), info.getChecksum(), database.username() });
			}
		}
		JdbcTemplate jdbc = database.jdbc();
		jdbc.batchUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
				+ "checksum, installed_by, execution_time, success) VALUES (?, ?, ?, ?, ?, ?, ?, 0, true)", rows);
		ValidateResult validation = flyway.validateWithResult();
		if (!validation.validationSuccessful) {
			throw new IllegalStateException("Flyway does not validate the recorded history: "
					+ validation.getAllErrorMessages());
		}
		Integer count = jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class);
		return (count != null) ? count : 0;
	}

	private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(TestDatabase database,
			Path migrations) {
		return Flyway.configure()
			.dataSource(database.jdbcUrl(), database.username(), database.password())
			.locations("filesystem:" + migrations.toAbsolutePath());
	}

}
