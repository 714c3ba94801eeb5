package io.apiforge.migrations.test;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A PostgreSQL server in a Testcontainers container, for machines with a Docker engine.
 * Only loaded when Testcontainers is on the classpath.
 *
 * @author apiforge
 */
final class ContainerPostgresServer implements PostgresServer {

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

	static boolean dockerIsAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
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
