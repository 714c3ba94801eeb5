package io.apiforge.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the Prometheus alert rules shipped in {@code docs/} only
 * reference meters the application really exports: the names are read from
 * {@code /actuator/prometheus} of the sample app after a run that backed up and migrated.
 */
@WithPostgres
class ObservabilityAssetsTests {

	private static final Pattern METRIC = Pattern.compile("\\bmigrations_[a-z_]+");

	@Test
	void theDashboardAndTheAlertsReferenceOnlyExportedMeters(TestDatabase database, @TempDir Path backups)
			throws Exception {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration").target("2").load().migrate();
		String prometheus = scrape(database, backups);
		Set<String> exported = new TreeSet<>();
		Matcher exportedNames = Pattern.compile("(?m)^(migrations_[a-z_]+)[{ ]").matcher(prometheus);
		while (exportedNames.find()) {
			exported.add(exportedNames.group(1));
		}
		assertThat(exported).as("the run backed up and migrated, so every meter has a series")
			.contains("migrations_runs_seconds_count", "migrations_backups_seconds_count",
					"migrations_backup_size_bytes_sum", "migrations_version_current");

		String dashboard = Files.readString(Path.of("../docs/grafana/migrations-dashboard.json"));
		JsonNode panels = JsonMapper.builder().build().readTree(dashboard).get("panels");
		assertThat(panels.size()).isGreaterThanOrEqualTo(8);
		assertThat(referenced(dashboard)).isNotEmpty().isSubsetOf(exported);

		String alerts = Files.readString(Path.of("../docs/prometheus/migrations-alerts.yml"));
		Map<String, List<Map<String, Object>>> rules = parseRules(alerts);
		assertThat(rules.get("migrations")).extracting((rule) -> rule.get("alert"))
			.contains("MigrationFailed", "MigrationsPendingTooLong", "MigrationBackupFailed", "MigrationsNoSuccessfulRun");
		assertThat(rules.get("migrations")).allSatisfy((rule) -> assertThat(rule).containsKeys("expr", "annotations"));
		assertThat(referenced(alerts)).isNotEmpty().isSubsetOf(exported);
	}

	private static String scrape(TestDatabase database, Path backups) throws Exception {
		String[] arguments = java.util.stream.Stream
			.concat(java.util.Arrays.stream(database.springProperties()),
					java.util.stream.Stream.of("server.port=0", "migrations.backup.directory=" + backups))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.run(arguments);
		try {
			URI uri = URI.create(
					"http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/actuator/prometheus");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			return response.body();
		}
		finally {
			SpringApplication.exit(context);
		}
	}

	private static Set<String> referenced(String text) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = METRIC.matcher(text);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<Map<String, Object>>> parseRules(String yaml) {
		Map<String, Object> document = new Yaml().load(yaml);
		Map<String, List<Map<String, Object>>> groups = new java.util.HashMap<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
			groups.put((String) group.get("name"), (List<Map<String, Object>>) group.get("rules"));
		}
		return groups;
	}

}
