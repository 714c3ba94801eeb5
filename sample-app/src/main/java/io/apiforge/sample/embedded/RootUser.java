package io.apiforge.sample.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * Tells whether the embedded server cannot start because this process runs as root.
 * PostgreSQL's server binaries refuse uid 0, but zonky starts them in a user namespace of
 * their own ({@code unshare -U}) where the kernel allows one, and there root is fine. So
 * only root without user namespaces is a dead end. Reads the effective user id, the one
 * PostgreSQL checks, from {@code /proc/self/status} (Linux); elsewhere falls back to the
 * {@code user.name} system property.
 *
 * @author apiforge
 */
final class RootUser {

	private RootUser() {
	}

	static boolean isRootWithoutUserNamespaces() {
		return isCurrentProcessRoot() && !LinuxUtils.isUnshareAvailable();
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
