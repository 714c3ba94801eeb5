package io.apiforge.migrations.lifecycle;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Tells before anything is locked or backed up when Flyway's {@code migrate()} would
 * refuse to run, so that no backup (which can take minutes on a large database) is taken
 * for a run that cannot succeed: its validation fails (a changed checksum, a missing
 * script, a failed migration), or the schemas it manages are not empty but have no
 * schema history table and {@code baseline-on-migrate} is off.
 *
 * @author apiforge
 */
public final class FlywayRefusalCheck {

	// The objects Flyway's PostgreSQL support counts when it decides that a schema is
	// not empty: relations, types and routines that no extension owns.
	private static final String NON_EMPTY_SCHEMAS = """
			SELECT n.nspname FROM pg_namespace n WHERE n.nspname = ANY (?) AND EXISTS (
			  SELECT 1 FROM pg_class c LEFT JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
			  WHERE c.relnamespace = n.oid AND d.objid IS NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
			  UNION ALL
			  SELECT 1 FROM pg_type t LEFT JOIN pg_depend d ON d.objid = t.oid AND d.deptype = 'e'
			  WHERE t.typnamespace = n.oid AND d.objid IS NULL AND t.typtype IN ('e', 'd')
			  UNION ALL
			  SELECT 1 FROM pg_proc p LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
			  WHERE p.pronamespace = n.oid AND d.objid IS NULL)
			AND NOT EXISTS (SELECT 1 FROM pg_class h JOIN pg_namespace hn ON hn.oid = h.relnamespace
			  WHERE hn.nspname = ? AND h.relname = ?)
			ORDER BY n.nspname""";

	private FlywayRefusalCheck() {
	}

	/**
	 * Refuse now what Flyway would refuse when it migrates.
	 * @param flyway the Flyway instance
	 * @param schema the schema as just inspected
	 * @throws MigrationsException with Flyway's reason and the fix
	 */
	public static void check(Flyway flyway, SchemaSnapshot schema) {
		Configuration configuration = flyway.getConfiguration();
		if (configuration.isValidateOnMigrate() && !schema.invalid().isEmpty()) {
			throw new MigrationFailedException(
					"Flyway would refuse to migrate: the applied migrations do not match the application's. "
							+ String.join(" ", schema.invalid()) + " Nothing was locked or backed up.",
					"Fix what is listed; if an applied script was edited on purpose, run Flyway's repair to realign the checksums. "
							+ "A difference that is expected can be ignored with spring.flyway.ignore-migration-patterns.",
					null, -1, null, null);
		}
		if (schema.applied().isEmpty() && !configuration.isBaselineOnMigrate()) {
			List<String> nonEmpty = nonEmptySchemasWithoutHistory(configuration);
			if (!nonEmpty.isEmpty()) {
				throw new MigrationFailedException("Flyway would refuse to migrate: schema(s) "
						+ nonEmpty.stream().map((name) -> "\"" + name + "\"").collect(Collectors.joining(", "))
						+ " hold objects but no schema history table (" + SchemaHistory.tableOf(configuration)
						+ "), and spring.flyway.baseline-on-migrate is off. Nothing was locked or backed up.",
						"If the database was built before Flyway managed it, set spring.flyway.baseline-on-migrate=true "
								+ "(with spring.flyway.baseline-version set to the version it is at), or run Flyway's baseline once. "
								+ "If this is the wrong database or schema, check spring.datasource.url and spring.flyway.schemas.",
						null, -1, null, null);
			}
		}
	}

	private static List<String> nonEmptySchemasWithoutHistory(Configuration configuration) {
		List<String> schemas = SchemaHistory.schemasOf(configuration);
		try (Connection connection = configuration.getDataSource().getConnection()) {
			String current = currentSchema(connection);
			List<String> names = !schemas.isEmpty() ? schemas : (current != null) ? List.of(current) : List.of();
			String historySchema = (SchemaHistory.defaultSchemaOf(configuration) != null)
					? SchemaHistory.defaultSchemaOf(configuration) : current;
			// One statement, one snapshot: the objects and the history table as of the same
			// moment, so that another instance's migration committing between two reads is
			// never seen as objects without a history.
			try (PreparedStatement statement = connection.prepareStatement(NON_EMPTY_SCHEMAS)) {
				Array array = connection.createArrayOf("text", names.toArray());
				statement.setArray(1, array);
				statement.setString(2, historySchema);
				statement.setString(3, configuration.getTable());
				List<String> nonEmpty = new ArrayList<>();
				try (ResultSet result = statement.executeQuery()) {
					while (result.next()) {
						nonEmpty.add(result.getString(1));
					}
				}
				return nonEmpty;
			}
		}
		catch (SQLException ex) {
			// Flyway reads the same catalog when it migrates, and says what is wrong then.
			return List.of();
		}
	}

	private static @Nullable String currentSchema(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT current_schema()");
				ResultSet result = statement.executeQuery()) {
			result.next();
			return result.getString(1);
		}
	}

}
