package io.apiforge.sample.benchmark.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application both variants of the start-up benchmark start in a JVM of their own: an
 * empty {@code @SpringBootApplication}, so that what starts is Spring Boot's
 * auto-configuration of the classpath it is given (the sample app's, with or without the
 * starter) and nothing of the sample app's own beans, whose Java migration
 * ({@code V3__FillFullName}) is built on the starter and could not load without it. Once
 * the application is ready it prints one line, {@code READY uptime-ms=… vmhwm-kib=…
 * heap-used-bytes=… cpu-ms=…}, and exits. With the argument {@value #STEPS} it also records Spring's
 * start-up steps and prints the slowest (bean creations include the beans they need), to
 * see where a start's time goes; not for measuring.
 *
 * @author apiforge
 */
@SpringBootApplication
public class StartupLauncher {

	/** What the line the parent waits for starts with. */
	public static final String READY = "READY";

	/** The argument that prints the slowest start-up steps. */
	public static final String STEPS = "--startup.steps=true";

	private static final int SLOWEST = 30;

	public static void main(String[] args) throws IOException {
		SpringApplication application = new SpringApplication(StartupLauncher.class);
		BufferingApplicationStartup steps = Arrays.asList(args).contains(STEPS)
				? new BufferingApplicationStartup(100_000) : null;
		if (steps != null) {
			application.setApplicationStartup(steps);
		}
		ConfigurableApplicationContext context = application.run(args);
		long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
		// Every thread's CPU time so far (not the child processes'): the work a start did,
		// beside how long it took
		long cpuMillis = processCpuMillis();
		// The high-water mark first: a collection does not lower it, but could raise it
		long peakKib = statusKib("VmHWM");
		System.gc();
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		System.out.println(String.format(Locale.ROOT, "%s uptime-ms=%d vmhwm-kib=%d heap-used-bytes=%d cpu-ms=%d", READY,
				uptime, peakKib, heap.getUsed(), cpuMillis));
		System.out.flush();
		if (steps != null) {
			printSlowest(steps);
		}
		System.exit(SpringApplication.exit(context));
	}

	private static void printSlowest(BufferingApplicationStartup steps) {
		steps.getBufferedTimeline()
			.getEvents()
			.stream()
			.sorted(Comparator.comparing(TimelineEvent::getDuration).reversed())
			.limit(SLOWEST)
			.forEach((event) -> System.out.println(String.format(Locale.ROOT, "STEP %6d ms %s %s",
					event.getDuration().toMillis(), event.getStartupStep().getName(),
					StreamSupport.stream(event.getStartupStep().getTags().spliterator(), false)
						.map((tag) -> tag.getKey() + "=" + tag.getValue())
						.collect(Collectors.joining(" ")))));
	}

	private static long processCpuMillis() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			long nanos = os.getProcessCpuTime();
			return (nanos >= 0) ? nanos / 1_000_000 : -1;
		}
		return -1;
	}

	/**
	 * Read a line of {@code /proc/self/status}, such as {@code VmHWM: 241234 kB}.
	 * @param field the field's name
	 * @return its value in KiB, or -1 where there is no such file (not Linux)
	 */
	private static long statusKib(String field) throws IOException {
		Path status = Path.of("/proc/self/status");
		if (!Files.isReadable(status)) {
			return -1;
		}
		for (String line : Files.readAllLines(status)) {
			if (line.startsWith(field + ":")) {
				return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
			}
		}
		return -1;
	}

}
