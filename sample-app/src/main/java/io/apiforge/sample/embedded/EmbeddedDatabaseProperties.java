package io.apiforge.sample.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the embedded PostgreSQL the demo starts when no
 * {@code spring.datasource.url} is set.
 *
 * @author apiforge
 */
@ConfigurationProperties("sample.embedded")
public class EmbeddedDatabaseProperties {

	/**
	 * Directory that holds the embedded server's data. Kept between runs, so that a
	 * second start finds the schema already migrated; delete it to start over.
	 */
	private Path dataDirectory = Path.of("sample-data");

	/**
	 * Port the embedded server listens on, on localhost.
	 */
	private int port = 15432;

	public Path getDataDirectory() {
		return this.dataDirectory;
	}

	public void setDataDirectory(Path dataDirectory) {
		this.dataDirectory = dataDirectory;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

}
