package io.apiforge.migrations.testsupport;

import org.jspecify.annotations.Nullable;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL server in a Testcontainers container, for machines with a Docker engine.
 * The image's major version matches the embedded binaries' unless
 * {@value PostgresServers#IMAGE_VARIABLE} names another.
 */
final class ContainerPostgresServer implements PostgresServer {

	static final String DEFAULT_IMAGE = "postgres:15-alpine";

	private final PostgreSQLContainer container;

	private ContainerPostgresServer(PostgreSQLContainer container) {
		this.container = container;
	}

	static ContainerPostgresServer start(String image) {
		PostgreSQLContainer container = new PostgreSQLContainer(image).withCommand("postgres", "-c", "fsync=off", "-c",
				"max_connections=300");
		container.start();
		return new ContainerPostgresServer(container);
	}

	@Override
	public String description() {
		return "PostgreSQL container " + this.container.getDockerImageName();
	}

	@Override
	public String host() {
		return this.container.getHost();
	}

	@Override
	public int port() {
		return this.container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
	}

	@Override
	public String adminUser() {
		return this.container.getUsername();
	}

	@Override
	public @Nullable String adminPassword() {
		return this.container.getPassword();
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
