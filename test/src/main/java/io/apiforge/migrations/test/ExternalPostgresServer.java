package io.apiforge.migrations.test;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server someone else runs, named by {@value PostgresServers#JDBC_URL_VARIABLE}
 * (for example {@code jdbc:postgresql://db.internal:5432/postgres}). Its user must be
 * allowed to create databases. Closing it leaves the server running.
 *
 * @author apiforge
 */
final class ExternalPostgresServer implements PostgresServer {

	private final String host;

	private final int port;

	private final String maintenanceDatabase;

	private final String user;

	private final @Nullable String password;

	ExternalPostgresServer(String jdbcUrl, String user, @Nullable String password) {
		if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
			throw new IllegalArgumentException(PostgresServers.JDBC_URL_VARIABLE
					+ " must be a PostgreSQL JDBC URL such as jdbc:postgresql://localhost:5432/postgres, but was '"
					+ jdbcUrl + "'");
		}
		URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
		this.host = uri.getHost();
		this.port = (uri.getPort() != -1) ? uri.getPort() : 5432;
		String path = uri.getPath();
		this.maintenanceDatabase = (path == null || path.length() <= 1) ? "postgres" : path.substring(1);
		this.user = user;
		this.password = password;
	}

	@Override
	public String description() {
		return "external PostgreSQL at " + this.host + ":" + this.port;
	}

	@Override
	public String host() {
		return this.host;
	}

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public String adminUser() {
		return this.user;
	}

	@Override
	public @Nullable String adminPassword() {
		return this.password;
	}

	@Override
	public String maintenanceDatabase() {
		return this.maintenanceDatabase;
	}

	@Override
	public void close() {
	}

}
