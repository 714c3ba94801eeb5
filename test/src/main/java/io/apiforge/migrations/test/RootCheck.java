package io.apiforge.migrations.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * Tells whether this process runs as root, which PostgreSQL's server binaries refuse.
 * zonky gets round that by starting them in a user namespace of their own
 * ({@code unshare -U}) where the kernel allows one.
 *
 * @author apiforge
 */
final class RootCheck {

	private RootCheck() {
	}

	static boolean isRootWithoutUserNamespaces() {
		return isRoot() && !LinuxUtils.isUnshareAvailable();
	}

	static boolean isRoot() {
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
