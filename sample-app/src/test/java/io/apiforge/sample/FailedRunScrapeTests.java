package io.apiforge.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Prometheus sees of a failed run: the series of a failure exists at zero before
 * it, so that the scrape after it shows an increase, and the last-run gauge says how the
 * last run ended.
 */
@WithPostgres
class FailedRunScrapeTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void aFailedRunShowsAsAnIncreaseAndAsTheLastRunAtTheNextScrape(TestDatabase database, @TempDir Path extra)
			throws Exception {
		String[] arguments = Stream
			.concat(Stream.of(database.springProperties()),
					Stream.of("server.port=0", "migrations.backup.strategy=none",
							"spring.flyway.locations=classpath:db/migration,filesystem:" + extra,
							"management.endpoint.migrations.access=unrestricted", "migrations.endpoint.write-role="))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.run(arguments)) {
			String port = context.getEnvironment().getProperty("local.server.port");
			String before = scrape(port);
			assertThat(value(before, "migrations_runs_seconds_count", "operation=\"migrate\",outcome=\"failed\""))
				.as("the failure series exists before any failure").isEqualTo(0.0);
			assertThat(value(before, "migrations_last_run", "operation=\"migrate\",outcome=\"migrated\"")).isEqualTo(1.0);

			Files.writeString(extra.resolve("V4__broken.sql"), "UPDATE usertable SET no_such_column = 1;\n");
			HttpResponse<String> migrate = this.http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/actuator/migrations"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"migrate\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(migrate.statusCode()).as(migrate.body()).isEqualTo(500);

			String after = scrape(port);
			assertThat(value(after, "migrations_runs_seconds_count", "operation=\"migrate\",outcome=\"failed\""))
				.as("increase(...) > 0 between the two scrapes").isEqualTo(1.0);
			assertThat(value(after, "migrations_last_run", "operation=\"migrate\",outcome=\"failed\"")).isEqualTo(1.0);
			assertThat(value(after, "migrations_last_run", "operation=\"migrate\",outcome=\"migrated\"")).isEqualTo(0.0);
		}
	}

	private String scrape(String port) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/**
	 * The value of the series with the given labels (others may stand between them, as
	 * Prometheus' text format orders labels by name).
	 */
	private static double value(String exposition, String name, String labels) {
		for (String line : exposition.lines().toList()) {
			Matcher series = Pattern.compile("^" + name + "\\{(.*)\\} (\\S+)$").matcher(line);
			if (series.matches() && Stream.of(labels.split(",")).allMatch((label) -> series.group(1).contains(label))) {
				return Double.parseDouble(series.group(2));
			}
		}
		throw new AssertionError("No series " + name + "{" + labels + "} in:\n" + exposition);
	}

}
