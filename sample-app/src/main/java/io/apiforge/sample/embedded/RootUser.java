package io.apiforge.sample.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells whether this process runs as root, which PostgreSQL's server binaries refuse.
 * Reads the effective user id, the one PostgreSQL checks, from {@code /proc/self/status}
 * (Linux); elsewhere falls back to the {@code user.name} system property.
 *
 * @author apiforge
 */
final class RootUser {

	private RootUser() {
	}

	static boolean isCurrentProcessRoot() {
		try {
			return Files.readAllLines(Path.of("/proc/self/status"))
				.stream()
				.filter((line) -> line.startsWith("Uid:"))
				.anyMatch((line) -> line.split("\\s+")[2].equals("0"));
		}
		catch (IOException | RuntimeException ex) {
			return "root".equals(System.getProperty("user.name"));
		}
	}

}
