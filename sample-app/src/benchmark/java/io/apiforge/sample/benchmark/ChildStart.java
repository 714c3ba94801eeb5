package io.apiforge.sample.benchmark;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.apiforge.sample.benchmark.startup.StartupLauncher;

/**
 * Starts the launcher in a child JVM, waits for its {@code READY} line and for it to exit,
 * and returns its figures. The child's output goes to a log file of its own (kept for
 * reading afterwards); its working directory is a fresh one, so that the starter's default
 * backup directory ({@code ./backups}) lands there. The database password goes in the
 * environment ({@code SPRING_DATASOURCE_PASSWORD}), not on the command line.
 *
 * @author apiforge
 */
final class ChildStart {

	private static final Pattern READY = Pattern.compile(
			StartupLauncher.READY + " uptime-ms=(\\d+) vmhwm-kib=(-?\\d+) heap-used-bytes=(\\d+) cpu-ms=(-?\\d+)");

	private static final long TIMEOUT_MINUTES = 30;

	private ChildStart() {
	}

	/**
	 * Start a child and wait for it to be ready, then to exit.
	 * @param classpath its classpath
	 * @param jvmOptions its JVM options
	 * @param arguments the application's arguments ({@code --key=value})
	 * @param password the database password, or {@code null}
	 * @param workingDirectory an existing directory to run in
	 * @param log the file its output goes to
	 * @return its figures
	 * @throws IOException when it cannot be started or it exits without being ready
	 */
	static Sample run(String classpath, List<String> jvmOptions, List<String> arguments, @Nullable String password,
			Path workingDirectory, Path log) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(classpath);
		command.add(StartupLauncher.class.getName());
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true);
		if (password != null) {
			builder.environment().put("SPRING_DATASOURCE_PASSWORD", password);
		}
		long started = System.nanoTime();
		Process process = builder.start();
		long readyAt = -1;
		Matcher ready = null;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (readyAt < 0) {
					Matcher matcher = READY.matcher(line);
					if (matcher.find()) {
						readyAt = System.nanoTime();
						ready = matcher;
					}
				}
				out.write(line);
				out.newLine();
			}
		}
		finally {
			if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
				process.destroyForcibly();
			}
		}
		if (ready == null) {
			throw new IOException("The child JVM exited with " + process.exitValue()
					+ " without reporting it was ready; its output is in " + log);
		}
		return new Sample((readyAt - started) / 1_000_000.0, Long.parseLong(ready.group(1)),
				Long.parseLong(ready.group(2)) / 1024.0, Long.parseLong(ready.group(3)) / (1024.0 * 1024.0),
				Long.parseLong(ready.group(4)), 0);
	}

	/**
	 * What one start cost.
	 *
	 * @param wallMillis from spawning the process until it reported it was ready (plus any
	 * work the case adds, such as the baseline's hand-run {@code pg_dump})
	 * @param uptimeMillis the child's own JVM uptime when ready
	 * @param peakMib the child's resident set high-water mark ({@code VmHWM}) when ready
	 * @param heapMib the heap used after a {@code System.gc()} when ready (the steady state)
	 * @param cpuMillis the CPU time of all the child JVM's threads until it was ready
	 * (not that of the processes it ran, such as {@code pg_dump})
	 * @param addedMillis what the case added to the wall time (the hand-run {@code pg_dump})
	 */
	record Sample(double wallMillis, long uptimeMillis, double peakMib, double heapMib, double cpuMillis,
			double addedMillis) {

		/**
		 * Add work the case does before the start to its wall time.
		 * @param millis how long the work took
		 * @return the sample with it added
		 */
		Sample plusWall(double millis) {
			return new Sample(this.wallMillis + millis, this.uptimeMillis, this.peakMib, this.heapMib, this.cpuMillis,
					this.addedMillis + millis);
		}

	}

}
