package io.apiforge.migrations.backup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.HostSpec;

import org.springframework.util.Assert;

/**
 * Which database (and which application in it) a backup belongs to, so that applications
 * sharing a backup directory never count, list or delete each other's backups.
 * <p>
 * The identity is a SHA-256 of three things:
 * <ul>
 * <li>the server: its system identifier ({@code pg_control_system()}, which any role may
 * read, and which stays the same across restarts, address changes and a failover to a
 * physical replica); where it cannot be read (some managed services), the host and port
 * the driver is connected to;</li>
 * <li>the database ({@code current_database()});</li>
 * <li>the schemas Flyway manages, or the connection's current schema when none is set, so
 * that two applications migrating their own schemas of one database stay apart.</li>
 * </ul>
 * File names show the database's name and the identity's first
 * {@value #SHORT_LENGTH} hex digits; the sidecar holds it whole.
 *
 * @param databaseName the database's name, as the server spells it
 * @param id the identity, 64 hex digits
 * @param source what identifies the server: {@code system-identifier} or
 * {@code address}
 * @param address the address the driver is connected to, as {@code host:port/database}
 * @author apiforge
 */
public record DatabaseIdentity(String databaseName, String id, String source, String address) {

	static final int SHORT_LENGTH = 8;

	static final String SYSTEM_IDENTIFIER = "system-identifier";

	static final String ADDRESS = "address";

	private static final Log logger = LogFactory.getLog(DatabaseIdentity.class);

	public DatabaseIdentity {
		Assert.hasText(databaseName, "'databaseName' must not be empty");
		Assert.isTrue(id.matches("[0-9a-f]{64}"), "'id' must be 64 hex digits");
	}

	/**
	 * Return the first {@value #SHORT_LENGTH} hex digits of the identity, as file names
	 * show it.
	 * @return the short identity
	 */
	public String shortId() {
		return this.id.substring(0, SHORT_LENGTH);
	}

	/**
	 * Read the identity of the database a data source connects to.
	 * @param dataSource the data source
	 * @param schemas the schemas Flyway manages; empty for the connection's current one
	 * @return the identity
	 * @throws SQLException when the database cannot be read
	 */
	public static DatabaseIdentity read(DataSource dataSource, List<String> schemas) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			String database;
			String currentSchema;
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("SELECT current_database(), current_schema()")) {
				result.next();
				database = result.getString(1);
				currentSchema = result.getString(2);
			}
			String address = address(connection, database);
			String systemIdentifier = systemIdentifier(connection);
			String server = (systemIdentifier != null) ? "system:" + systemIdentifier : "address:" + address;
			TreeSet<String> owned = new TreeSet<>(schemas);
			if (owned.isEmpty() && currentSchema != null) {
				owned.add(currentSchema);
			}
			// NUL cannot occur in a PostgreSQL name, so the parts cannot run into each other.
			String key = server + "\0" + database + "\0" + String.join("\0", owned);
			return new DatabaseIdentity(database, sha256(key), (systemIdentifier != null) ? SYSTEM_IDENTIFIER : ADDRESS,
					address);
		}
	}

	/**
	 * Read the identity of the database a backup is asked for.
	 * @param request the backup's request
	 * @return the identity
	 * @throws BackupException when the database cannot be read
	 */
	public static DatabaseIdentity of(BackupRequest request) {
		try {
			return read(request.dataSource(), request.schemas());
		}
		catch (SQLException ex) {
			throw new BackupException("Could not read which database to back up: " + ex.getMessage(),
					"Check that the database is reachable with the application's credentials.", ex);
		}
	}

	private static @Nullable String systemIdentifier(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
			return result.next() ? result.getString(1) : null;
		}
		catch (SQLException ex) {
			// Revoked, or not offered by the service: the address identifies the server.
			logger.debug("Cannot read the server's system identifier; backups are named after the address instead", ex);
			if (!connection.getAutoCommit()) {
				connection.rollback();
			}
			return null;
		}
	}

	private static String address(Connection connection, String database) throws SQLException {
		if (connection.isWrapperFor(BaseConnection.class)) {
			HostSpec host = connection.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec();
			return host.getHost() + ":" + host.getPort() + "/" + database;
		}
		return "?/" + database;
	}

	private static String sha256(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
