package io.apiforge.sample.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.apiforge.migrations.testsupport.PostgresServer;

/**
 * The baseline's backup: {@code pg_dump -Fc} of a database, run by hand before plain
 * Spring Boot + Flyway starts, as an operator without the starter would. The password goes
 * in {@code PGPASSWORD}, never on the command line.
 *
 * @author apiforge
 */
final class HandRunPgDump {

	private HandRunPgDump() {
	}

	/**
	 * Dump a database and return how long it took.
	 * @param pgDump the executable
	 * @param server the server
	 * @param database the database's name
	 * @param file the dump file to write
	 * @param log where its output goes
	 * @return the time it took, in milliseconds
	 * @throws IOException when it cannot run or fails
	 */
	static double dump(Path pgDump, PostgresServer server, String database, Path file, Path log)
			throws IOException, InterruptedException {
		ProcessBuilder builder = new ProcessBuilder(List.of(pgDump.toString(), "-Fc", "-h", server.host(), "-p",
				Integer.toString(server.port()), "-U", server.adminUser(), "-d", database, "-f", file.toString()))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		if (server.adminPassword() != null) {
			builder.environment().put("PGPASSWORD", server.adminPassword());
		}
		long started = System.nanoTime();
		Process process = builder.start();
		if (!process.waitFor(30, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IOException("pg_dump did not finish within 30 minutes");
		}
		double millis = (System.nanoTime() - started) / 1_000_000.0;
		if (process.exitValue() != 0) {
			throw new IOException("pg_dump exited with " + process.exitValue() + "; its output is in " + log);
		}
		return millis;
	}

}
