package io.apiforge.migrations.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.apiforge.migrations.backup.pgdump.PgClient;

/**
 * Stand-ins for {@code pg_dump} that wrap the real one, to watch it or to make it fail the
 * way a real one can (a full disk, a hang, a kill). {@code pg_restore} and {@code psql}
 * beside it are the real ones.
 */
public final class PgClientWrappers {

	private PgClientWrappers() {
	}

	/**
	 * Create a {@code pg_dump} script in a directory of its own.
	 * @param directory where to put it
	 * @param body the script's body; {@code $REAL_PG_DUMP} is the real pg_dump, and
	 * {@code --version} is answered by it before the body runs
	 * @return the script, to set as {@code migrations.backup.pg-dump.path}
	 * @throws IOException when it cannot be written
	 */
	public static Path pgDump(Path directory, String body) throws IOException {
		Files.createDirectories(directory);
		for (String client : new String[] { "pg_restore", "psql" }) {
			script(directory.resolve(client), "exec '" + real(client) + "' \"$@\"");
		}
		return script(directory.resolve("pg_dump"), "REAL_PG_DUMP='" + real("pg_dump") + "'\n"
				+ "if [ \"$1\" = --version ]; then exec \"$REAL_PG_DUMP\" --version; fi\n" + body);
	}

	/**
	 * Replace one client in a wrapper directory with a script.
	 * @param file the client's path in the wrapper directory
	 * @param body the script's body
	 * @return the script
	 * @throws IOException when it cannot be written
	 */
	public static Path script(Path file, String body) throws IOException {
		Files.deleteIfExists(file);
		Files.writeString(file, "#!/bin/sh\n" + body + "\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
		return file;
	}

	public static Path real(String client) {
		return PgClient.find(client, null, "PATH").path();
	}

}
