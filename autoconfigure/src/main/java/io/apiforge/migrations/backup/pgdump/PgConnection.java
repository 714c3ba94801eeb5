package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.QueryExecutor;
import org.postgresql.util.HostSpec;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.jdbc.DataSourceDetails;
import io.apiforge.migrations.jdbc.JdbcUrls;

/**
 * Where PostgreSQL's client programs connect, read from an open connection of the
 * application's data source rather than from its configured URL, so that wrapper drivers
 * ({@code jdbc:p6spy:postgresql:}, {@code jdbc:otel:postgresql:}, …) and multi-host URLs
 * work: the host and port the driver is connected to, its database and user, and the TLS
 * settings the driver parsed ({@link PgTls}).
 * <p>
 * The connection reaches the programs through their environment ({@code PGHOST},
 * {@code PGPORT}, {@code PGSSLMODE}, …) and the secrets through files in a private
 * directory ({@link PgClientFiles}): never on a command line, where any user of the
 * machine could read them, nor in an environment variable.
 *
 * @param host the host the application's connection is connected to
 * @param port its port
 * @param database the database
 * @param user the user, or {@code null} to let the client decide
 * @param password the password, or {@code null} when none is needed
 * @param tls the TLS settings
 * @author apiforge
 */
public record PgConnection(String host, int port, String database, @Nullable String user, @Nullable String password,
		PgTls tls) {

	private static final Log logger = LogFactory.getLog(PgConnection.class);

	/**
	 * Create a connection.
	 * @param host the host
	 * @param port the port
	 * @param database the database
	 * @param user the user, or {@code null}
	 * @param password the password, or {@code null}
	 * @param tls the TLS settings
	 */
	public PgConnection {
		Assert.hasText(host, "'host' must not be empty");
		Assert.notNull(database, "'database' must not be null");
		Assert.notNull(tls, "'tls' must not be null");
	}

	/**
	 * Read the connection of a data source, from one of its connections.
	 * @param dataSource the data source
	 * @return its connection
	 * @throws BackupException when the data source is not a PostgreSQL one, cannot
	 * connect, or uses a TLS setting the client programs cannot take
	 */
	public static PgConnection of(DataSource dataSource) {
		DataSourceDetails details = details(dataSource);
		try (Connection connection = dataSource.getConnection()) {
			if (!connection.isWrapperFor(BaseConnection.class)) {
				DatabaseMetaData metaData = connection.getMetaData();
				throw new BackupException("pg_dump can only back up PostgreSQL, but the data source connects to "
						+ metaData.getDatabaseProductName() + " through " + connection.getClass().getName() + " ("
						+ JdbcUrls.redact(metaData.getURL()) + ")",
						"Use PostgreSQL's JDBC driver (org.postgresql:postgresql), directly or behind a wrapper driver that "
								+ "unwraps to it, or choose another backup strategy (migrations.backup.strategy).",
						null);
			}
			BaseConnection postgres = connection.unwrap(BaseConnection.class);
			QueryExecutor executor = postgres.getQueryExecutor();
			HostSpec hostSpec = executor.getHostSpec();
			// The driver's own URL (a wrapper's prefix already stripped) over the pool's driver properties.
			Properties defaults = new Properties();
			defaults.putAll((details != null) ? details.driverProperties() : Map.of());
			Properties properties = Driver.parseURL(postgres.getMetaData().getURL(), defaults);
			if (properties == null) {
				properties = defaults;
			}
			String password = (details != null && details.password() != null) ? details.password()
					: properties.getProperty("password");
			PgTls tls = PgTls.of(properties, encrypted(connection), System.getProperty("user.home"));
			return new PgConnection(hostSpec.getHost(), hostSpec.getPort(), executor.getDatabase(), executor.getUser(),
					(password != null && !password.isEmpty()) ? password : null, tls);
		}
		catch (SQLException ex) {
			throw new BackupException("Could not read the database connection to back up: " + ex.getMessage(),
					"Check that the database is reachable with the application's credentials.", ex);
		}
	}

	private static @Nullable DataSourceDetails details(DataSource dataSource) {
		try {
			return DataSourceDetails.of(dataSource);
		}
		catch (SQLException ex) {
			logger.debug("Cannot read the credentials of the data source", ex);
			return null;
		}
	}

	/**
	 * Whether the server says this connection is encrypted: with {@code sslmode=prefer}
	 * the driver may or may not have chosen TLS, and the backup must not do with less.
	 */
	private static boolean encrypted(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
			return result.next() && result.getBoolean(1);
		}
	}

	/**
	 * Return this connection pointed at another database of the same server, with the
	 * same user, password and TLS settings.
	 * @param database the other database
	 * @return the connection
	 */
	PgConnection withDatabase(String database) {
		return new PgConnection(this.host, this.port, database, this.user, this.password, this.tls);
	}

	/**
	 * Write the secrets of this connection to a new private directory.
	 * @return the files; close them when the program has run
	 * @throws IOException when they cannot be written
	 */
	PgClientFiles writeClientFiles() throws IOException {
		return PgClientFiles.write(this);
	}

	/**
	 * Return the environment that points a client program at this connection.
	 * @param files the connection's secrets ({@link #writeClientFiles()})
	 * @return the variables
	 */
	Map<String, String> environment(PgClientFiles files) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PGHOST", this.host);
		environment.put("PGPORT", Integer.toString(this.port));
		environment.put("PGDATABASE", this.database);
		if (this.user != null) {
			environment.put("PGUSER", this.user);
		}
		environment.putAll(this.tls.environment(files.directory()));
		environment.putAll(files.environment());
		environment.put("PGAPPNAME", "migrations-backup");
		return environment;
	}

	/**
	 * Describe the connection without its password, as {@code user@host:port/database}.
	 * @return the description
	 */
	public String describe() {
		return ((this.user != null) ? this.user + "@" : "") + this.host + ":" + this.port + "/" + this.database;
	}

	@Override
	public String toString() {
		return "PgConnection[" + describe() + ", password=" + ((this.password != null) ? "******" : "null") + ", "
				+ this.tls + "]";
	}

}
