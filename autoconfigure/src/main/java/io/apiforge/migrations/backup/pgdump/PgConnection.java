package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;

import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.jdbc.DataSourceDetails;

/**
 * Where PostgreSQL's client programs connect: host, port, database and user, from the
 * application's data source. The connection reaches the programs through their
 * environment ({@code PGHOST}, {@code PGPORT}, …) and the password through a temporary
 * passfile ({@code PGPASSFILE}) readable by its owner only: never on a command line,
 * where any user of the machine could read it, nor in an environment variable.
 *
 * @param host the server's host (the first, for a multi-host URL)
 * @param port the server's port
 * @param database the database
 * @param user the user, or {@code null} to let the client decide
 * @param password the password, or {@code null} when none is needed
 * @param sslMode the URL's {@code sslmode}, or {@code null}
 * @author apiforge
 */
public record PgConnection(String host, int port, String database, @Nullable String user,
		@Nullable String password, @Nullable String sslMode) {

	/**
	 * Read the connection of a data source.
	 * @param dataSource the data source
	 * @return its connection
	 * @throws BackupException when the data source is not a PostgreSQL one
	 */
	public static PgConnection of(DataSource dataSource) {
		DataSourceDetails details;
		try {
			details = DataSourceDetails.of(dataSource);
		}
		catch (SQLException ex) {
			throw new BackupException("Could not read the database connection to back up: " + ex.getMessage(),
					"Check that the database is reachable with the application's credentials.", ex);
		}
		Properties properties = Driver.parseURL(details.url(), new Properties());
		if (properties == null) {
			throw new BackupException("pg_dump can only back up PostgreSQL, but the data source's URL is " + details.url(),
					"Use a jdbc:postgresql:// URL, or choose another backup strategy (migrations.backup.strategy).",
					null);
		}
		String user = (details.username() != null) ? details.username() : properties.getProperty("user");
		String password = (details.password() != null) ? details.password() : properties.getProperty("password");
		return new PgConnection(first(properties.getProperty("PGHOST", "localhost")),
				Integer.parseInt(first(properties.getProperty("PGPORT", "5432"))),
				properties.getProperty("PGDBNAME", ""), user, (password != null && !password.isEmpty()) ? password : null,
				properties.getProperty("sslmode"));
	}

	private static String first(String list) {
		int comma = list.indexOf(',');
		return (comma >= 0) ? list.substring(0, comma) : list;
	}

	/**
	 * Return the environment that points a client program at this connection.
	 * @param passFile the passfile holding the password, or {@code null} when there is
	 * no password
	 * @return the variables
	 */
	public Map<String, String> environment(@Nullable Path passFile) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("PGHOST", this.host);
		environment.put("PGPORT", Integer.toString(this.port));
		environment.put("PGDATABASE", this.database);
		if (this.user != null) {
			environment.put("PGUSER", this.user);
		}
		if (this.sslMode != null) {
			environment.put("PGSSLMODE", this.sslMode);
		}
		if (passFile != null) {
			environment.put("PGPASSFILE", passFile.toString());
		}
		environment.put("PGAPPNAME", "migrations-backup");
		return environment;
	}

	/**
	 * Write the password to a new passfile readable by its owner only. The caller deletes
	 * it when the program has run.
	 * @return the passfile, or {@code null} when there is no password
	 * @throws IOException when it cannot be written
	 */
	public @Nullable Path writePassFile() throws IOException {
		if (this.password == null) {
			return null;
		}
		Path passFile = Files.createTempFile("migrations-pgpass-", ".conf",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		String line = String.join(":", escape(this.host), Integer.toString(this.port), escape(this.database),
				escape((this.user != null) ? this.user : "*"), escape(this.password));
		Files.writeString(passFile, line + "\n", StandardCharsets.UTF_8);
		return passFile;
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace(":", "\\:");
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
		return "PgConnection[" + describe() + ", password=" + ((this.password != null) ? "******" : "null") + "]";
	}

}
