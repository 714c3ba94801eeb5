package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs a PostgreSQL client program as a child process: no shell, an environment of our
 * choosing, a deadline after which it is killed, and progress reports while it runs.
 *
 * @author apiforge
 */
final class ChildProcess {

	private static final int MAX_OUTPUT = 8 * 1024;

	private static final Duration GRACE = Duration.ofSeconds(5);

	private ChildProcess() {
	}

	/**
	 * How a child process ended.
	 *
	 * @param exitCode its exit code ({@code -1} when it was killed on timeout)
	 * @param timedOut whether it was killed because it passed its deadline
	 * @param output the end of what it wrote to standard output and error
	 */
	record Result(int exitCode, boolean timedOut, String output) {
	}

	/**
	 * Run a program to its end.
	 * @param command the program and its arguments
	 * @param environment variables to add to (or replace in) this process's environment
	 * @param timeout how long it may run
	 * @param progressInterval how often to report progress
	 * @param watched a file whose size is reported as progress, or {@code null}
	 * @param progress receives the watched file's size
	 * @return how it ended
	 * @throws UncheckedIOException when it cannot be started
	 */
	static Result run(List<String> command, Map<String, String> environment, Duration timeout,
			Duration progressInterval, @Nullable Path watched, LongConsumer progress) {
		Path output = null;
		Process process = null;
		try {
			output = Files.createTempFile("migrations-child-", ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
			// The clients' credentials come from our environment only (a passfile), never
			// from a password this process happens to inherit.
			builder.environment().remove("PGPASSWORD");
			builder.environment().putAll(environment);
			process = builder.start();
			long deadline = System.nanoTime() + timeout.toNanos();
			boolean finished = false;
			while (!finished) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					kill(process);
					return new Result(-1, true, tail(output));
				}
				finished = process.waitFor(Math.min(remaining, progressInterval.toNanos()), TimeUnit.NANOSECONDS);
				if (!finished && watched != null && Files.exists(watched)) {
					progress.accept(Files.size(watched));
				}
			}
			return new Result(process.exitValue(), false, tail(output));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command.get(0) + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			if (process != null) {
				kill(process);
			}
			throw new IllegalStateException("Interrupted while " + command.get(0) + " ran; it was stopped", ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// a temporary file in the system's temp directory: left for the OS
				}
			}
		}
	}

	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroy);
		process.destroy();
		try {
			if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
				process.descendants().forEach(ProcessHandle::destroyForcibly);
				process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static String tail(Path output) throws IOException {
		byte[] bytes = Files.readAllBytes(output);
		int from = Math.max(0, bytes.length - MAX_OUTPUT);
		return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
	}

}
