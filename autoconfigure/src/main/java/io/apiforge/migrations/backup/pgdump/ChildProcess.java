package io.apiforge.migrations.backup.pgdump;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs a PostgreSQL client program as a child process: no shell, an environment of our
 * choosing, a deadline after which it is killed, and progress reports while it runs.
 * <p>
 * Its output comes to this process through pipes, never to a file it opens itself: when
 * this process dies, however it dies, the child's next write fails (a broken pipe) and
 * the child stops instead of running on as an orphan. On an orderly shutdown of the JVM
 * every child still running is killed by a shutdown hook. The set of running children is
 * process-wide because the JVM's shutdown is.
 *
 * @author apiforge
 */
final class ChildProcess {

	private static final int MAX_OUTPUT = 8 * 1024;

	private static final Duration GRACE = Duration.ofSeconds(5);

	private static final Set<Process> running = ConcurrentHashMap.newKeySet();

	private static final AtomicBoolean shutdownHookRegistered = new AtomicBoolean();

	private ChildProcess() {
	}

	/**
	 * How a child process ended.
	 *
	 * @param exitCode its exit code ({@code -1} when it was killed on timeout)
	 * @param timedOut whether it was killed because it passed its deadline
	 * @param output the end of what it wrote to standard error (and to standard output,
	 * when nothing else read that)
	 */
	record Result(int exitCode, boolean timedOut, String output) {
	}

	/**
	 * Receives what a child writes to its standard output.
	 */
	@FunctionalInterface
	interface Output {

		/**
		 * Take bytes the child wrote.
		 * @param bytes a buffer
		 * @param offset where the bytes start
		 * @param length how many there are
		 * @throws IOException when they cannot be kept; the child is then killed
		 */
		void write(byte[] bytes, int offset, int length) throws IOException;

	}

	/**
	 * Run a program to its end, its standard output and error kept together.
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
		try {
			return execute(command, environment, timeout, progressInterval, () -> {
				if (watched != null && Files.exists(watched)) {
					progress.accept(Files.size(watched));
				}
			}, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command.get(0) + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Run a program to its end, its standard output going to {@code output} and the end
	 * of its standard error kept for the result.
	 * @param command the program and its arguments
	 * @param environment variables to add to (or replace in) this process's environment
	 * @param timeout how long it may run
	 * @param progressInterval how often to report progress
	 * @param progress called every {@code progressInterval} while it runs
	 * @param output receives its standard output
	 * @return how it ended
	 * @throws IOException when it cannot be started, or {@code output} failed (the child
	 * is then killed)
	 */
	static Result stream(List<String> command, Map<String, String> environment, Duration timeout,
			Duration progressInterval, Runnable progress, Output output) throws IOException {
		return execute(command, environment, timeout, progressInterval, progress::run, output);
	}

	private static Result execute(List<String> command, Map<String, String> environment, Duration timeout,
			Duration progressInterval, ProgressReport progress, @Nullable Output output) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(output == null)
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		// The clients' credentials come from our environment only (a passfile), never
		// from a password this process happens to inherit.
		builder.environment().remove("PGPASSWORD");
		builder.environment().putAll(environment);
		registerShutdownHook();
		Process process = builder.start();
		running.add(process);
		try {
			Tail tail = new Tail();
			Thread errors = (output != null) ? daemon("stderr", () -> copy(process.getErrorStream(), tail)) : null;
			Watchdog watchdog = new Watchdog(process, timeout, progressInterval, progress);
			Thread watching = daemon("watchdog", watchdog);
			try {
				copy(process.getInputStream(), (output != null) ? output : tail);
			}
			catch (IOException ex) {
				kill(process);
				throw ex;
			}
			process.waitFor();
			watching.interrupt();
			watching.join();
			if (errors != null) {
				errors.join();
			}
			return new Result(watchdog.timedOut ? -1 : process.exitValue(), watchdog.timedOut, tail.text());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill(process);
			throw new IllegalStateException("Interrupted while " + command.get(0) + " ran; it was stopped", ex);
		}
		finally {
			if (process.isAlive()) {
				kill(process);
			}
			running.remove(process);
		}
	}

	private static void copy(InputStream input, Output output) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		int read;
		while ((read = input.read(buffer)) >= 0) {
			output.write(buffer, 0, read);
		}
	}

	private static void copy(InputStream input, Tail tail) {
		try {
			copy(input, (Output) tail);
		}
		catch (IOException ex) {
			// the pipe closed: the child is gone
		}
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, "migrations-backup-" + name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void registerShutdownHook() {
		if (shutdownHookRegistered.compareAndSet(false, true)) {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(ChildProcess::kill),
					"migrations-backup-shutdown"));
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

	/**
	 * Reports progress.
	 */
	@FunctionalInterface
	private interface ProgressReport {

		void report() throws IOException;

	}

	/**
	 * Reports progress every interval and kills the child at its deadline. Reading the
	 * child's output blocks, so the deadline cannot be kept by the reading thread.
	 */
	private static final class Watchdog implements Runnable {

		private final Process process;

		private final long deadline;

		private final Duration interval;

		private final ProgressReport progress;

		private volatile boolean timedOut;

		Watchdog(Process process, Duration timeout, Duration interval, ProgressReport progress) {
			this.process = process;
			this.deadline = System.nanoTime() + timeout.toNanos();
			this.interval = interval;
			this.progress = progress;
		}

		@Override
		public void run() {
			try {
				while (true) {
					long remaining = this.deadline - System.nanoTime();
					if (remaining <= 0) {
						this.timedOut = true;
						kill(this.process);
						return;
					}
					if (this.process.waitFor(Math.min(remaining, this.interval.toNanos()), TimeUnit.NANOSECONDS)) {
						return;
					}
					try {
						this.progress.report();
					}
					catch (IOException | RuntimeException ex) {
						// progress is only informative
					}
				}
			}
			catch (InterruptedException ex) {
				// the child ended and the reader is done with us
			}
		}

	}

	/**
	 * The last bytes a child wrote, for an error message.
	 */
	private static final class Tail implements Output {

		private final byte[] bytes = new byte[MAX_OUTPUT];

		private long total;

		@Override
		public synchronized void write(byte[] buffer, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				this.bytes[(int) (this.total++ % MAX_OUTPUT)] = buffer[i];
			}
		}

		synchronized String text() {
			int size = (int) Math.min(this.total, MAX_OUTPUT);
			byte[] ordered = new byte[size];
			int start = (int) ((this.total - size) % MAX_OUTPUT);
			for (int i = 0; i < size; i++) {
				ordered[i] = this.bytes[(start + i) % MAX_OUTPUT];
			}
			return new String(ordered, StandardCharsets.UTF_8);
		}

	}

}
