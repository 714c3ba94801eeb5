package io.apiforge.sample.benchmark;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.sample.SampleApplication;

/**
 * The sample app, started in this JVM on a random port against the benchmark's
 * database, with the generated migrations added to its own, no backup (the benchmark
 * measures reads, not {@code pg_dump}), and the {@code health}, {@code migrations} and
 * {@code flyway} endpoints exposed. Everything else is the sample app's configuration.
 *
 * @author apiforge
 */
final class BenchmarkApplication implements AutoCloseable {

	private final String name;

	private final ConfigurableApplicationContext context;

	private final Duration startUp;

	private BenchmarkApplication(String name, ConfigurableApplicationContext context, Duration startUp) {
		this.name = name;
		this.context = context;
		this.startUp = startUp;
	}

	/**
	 * Start an application.
	 * @param name what the report calls it
	 * @param database the database
	 * @param migrations the directory of generated migrations
	 * @param properties more properties, as {@code key=value}, that win over the defaults
	 * @return the started application
	 */
	static BenchmarkApplication start(String name, TestDatabase database, Path migrations, String... properties) {
		List<String> arguments = new ArrayList<>();
		for (String property : database.springProperties()) {
			arguments.add("--" + property);
		}
		arguments.add("--server.port=0");
		arguments.add("--spring.flyway.locations=classpath:db/migration,filesystem:" + migrations.toAbsolutePath());
		arguments.add("--migrations.backup.strategy=none");
		arguments.add("--management.endpoints.web.exposure.include=health,migrations,flyway");
		arguments.add("--spring.main.banner-mode=off");
		// Warnings only: the summary of a run that applied a thousand migrations is one very long line
		arguments.add("--logging.level.root=WARN");
		arguments.add("--logging.level.io.apiforge.migrations=WARN");
		for (String property : properties) {
			arguments.add("--" + property);
		}
		long started = System.nanoTime();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run(arguments.toArray(String[]::new));
		return new BenchmarkApplication(name, context, Duration.ofNanos(System.nanoTime() - started));
	}

	String name() {
		return this.name;
	}

	Duration startUp() {
		return this.startUp;
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + path);
	}

	@Override
	public void close() {
		SpringApplication.exit(this.context);
	}

}
