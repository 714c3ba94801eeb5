package io.apiforge.migrations.fingerprint;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.util.Assert;

/**
 * Reads the {@link SchemaFingerprint} of the schemas the migrations manage from
 * PostgreSQL's catalog, in one read-only transaction (one snapshot) with a fixed
 * {@code search_path}. It leaves out the starter's own tables (the schema history table,
 * the table of stored fingerprints) and every object an extension owns. The SQL is in {@link CatalogQueries}.
 *
 * @author apiforge
 */
public final class FingerprintReader {

	private final DataSource dataSource;

	/**
	 * Create a reader.
	 * @param dataSource the database to read
	 */
	public FingerprintReader(DataSource dataSource) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		this.dataSource = dataSource;
	}

	/**
	 * Read the fingerprint over a connection of the data source.
	 * @param schemas the schemas the migrations manage, the default one (which holds the
	 * history table) first, as Flyway's {@code default-schema} and {@code schemas} give
	 * them; empty for the connection's current schema
	 * @param historyTable the name of the schema history table, unqualified (Flyway's
	 * {@code table}), left out of the fingerprint
	 * @return the fingerprint
	 * @throws SQLException when the catalog cannot be read
	 */
	public SchemaFingerprint read(List<String> schemas, String historyTable) throws SQLException {
		Assert.hasText(historyTable, "'historyTable' must not be empty");
		return read(schemas, Set.of(historyTable));
	}

	/**
	 * Read the fingerprint over a connection of the data source, leaving out the
	 * starter's own tables.
	 * @param schemas the schemas the migrations manage, the default one (which holds the
	 * starter's tables) first; empty for the connection's current schema
	 * @param ownTables the names of the starter's own tables in the default schema,
	 * unqualified (the history table, the stored fingerprints), left out with their
	 * columns, constraints, indexes, triggers and grants
	 * @return the fingerprint
	 * @throws SQLException when the catalog cannot be read
	 */
	public SchemaFingerprint read(List<String> schemas, Set<String> ownTables) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			return read(connection, schemas, ownTables);
		}
	}

	/**
	 * Read the fingerprint over a given connection, in a transaction of its own that is
	 * rolled back; the connection is left in auto-commit mode, as it was given.
	 * @param connection a connection in auto-commit mode
	 * @param schemas the schemas the migrations manage, the default one first; empty for
	 * the connection's current schema
	 * @param historyTable the name of the schema history table, unqualified
	 * @return the fingerprint
	 * @throws SQLException when the catalog cannot be read
	 */
	public static SchemaFingerprint read(Connection connection, List<String> schemas, String historyTable)
			throws SQLException {
		Assert.hasText(historyTable, "'historyTable' must not be empty");
		return read(connection, schemas, Set.of(historyTable));
	}

	/**
	 * Read the fingerprint over a given connection, in a transaction of its own that is
	 * rolled back, leaving out the starter's own tables; the connection is left in
	 * auto-commit mode, as it was given.
	 * @param connection a connection in auto-commit mode
	 * @param schemas the schemas the migrations manage, the default one first; empty for
	 * the connection's current schema
	 * @param ownTables the names of the starter's own tables in the default schema,
	 * unqualified
	 * @return the fingerprint
	 * @throws SQLException when the catalog cannot be read
	 */
	public static SchemaFingerprint read(Connection connection, List<String> schemas, Set<String> ownTables)
			throws SQLException {
		Assert.notNull(connection, "'connection' must not be null");
		Assert.notNull(schemas, "'schemas' must not be null");
		Assert.notEmpty(ownTables, "'ownTables' must not be empty");
		Assert.isTrue(connection.getAutoCommit(), "The fingerprint is read in a transaction of its own, and this "
				+ "connection is in one already: give the reader a connection in auto-commit mode");
		connection.setAutoCommit(false);
		try {
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
			}
			int postgresqlVersion;
			List<String> managed = schemas;
			try (Statement statement = connection.createStatement();
					ResultSet server = statement.executeQuery(CatalogQueries.SERVER)) {
				server.next();
				postgresqlVersion = server.getInt(1);
				if (schemas.isEmpty()) {
					String current = server.getString(2);
					if (current == null) {
						throw new IllegalStateException("No schema of the connection's search_path exists, so there is no "
								+ "default schema to read the fingerprint of: set spring.flyway.default-schema, or "
								+ "the search_path of the database user");
					}
					managed = List.of(current);
				}
			}
			try (Statement statement = connection.createStatement()) {
				for (String setting : CatalogQueries.SETTINGS) {
					statement.execute(setting);
				}
			}
			List<SchemaObject> objects = new ArrayList<>();
			Array schemaArray = connection.createArrayOf("text", managed.toArray());
			Array ownTableArray = connection.createArrayOf("text", ownTables.toArray());
			for (String query : CatalogQueries.OBJECTS) {
				try (PreparedStatement statement = connection.prepareStatement(query)) {
					statement.setArray(1, schemaArray);
					statement.setString(2, managed.get(0));
					statement.setArray(3, ownTableArray);
					try (ResultSet rows = statement.executeQuery()) {
						while (rows.next()) {
							String definition = rows.getString(3);
							objects.add(new SchemaObject(ObjectKind.ofLabel(rows.getString(1)), rows.getString(2),
									(definition != null) ? definition : ""));
						}
					}
				}
			}
			return new SchemaFingerprint(postgresqlVersion, managed, objects);
		}
		finally {
			try {
				connection.rollback();
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
	}

}
