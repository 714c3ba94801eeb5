package io.apiforge.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
 * The Grafana dashboard and the Prometheus alert rules shipped in {@code docs/} read
 * only series the application really exports, with the labels and label values they
 * select on: every PromQL expression is checked against {@code /actuator/prometheus} of
 * the sample app scraped twice, after a run that backed up and migrated, and after a
 * migrate that failed.
 * <p>
 * No PromQL engine runs here: Maven Central serves none that runs in-process and is
 * small (Prometheus' own is Go). So each expression is scanned for what it selects:
 * each {@code migrations_*} series must be exported; each label it matches on, groups by
 * or an alert's annotation reads must be one of that series' labels (or {@code job} and
 * {@code instance}, which Prometheus adds when it scrapes); and each value an
 * {@code =} or {@code =~} matcher names must be one the series takes. That the series
 * exist at zero before the first failure, so that {@code increase()} counts it, is
 * {@link FailedRunScrapeTests}' part.
 */
@WithPostgres
class ObservabilityAssetsTests {

	/** Labels Prometheus adds to every series from the scrape target. */
	private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

	private static final Pattern SELECTOR = Pattern.compile("\\b(migrations_[a-z_]+)(?:\\{([^}]*)\\})?");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	private static final Pattern EXPOSED_SERIES = Pattern.compile("(?m)^(migrations_[a-z_]+)(?:\\{([^}]*)\\})? ");

	private static final Pattern EXPOSED_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern ANNOTATION_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void everyExpressionOfTheDashboardAndTheAlertsSelectsSeriesAndLabelsTheAppExports(TestDatabase database,
			@TempDir Path backups, @TempDir Path extra) throws Exception {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/migration").target("1.1").load().migrate();
		List<String> expressions = new ArrayList<>();
		Map<String, String> alerts = alerts(expressions);
		List<String> dashboard = dashboardExpressions();
		expressions.addAll(dashboard);
		assertThat(dashboard).hasSizeGreaterThanOrEqualTo(10);

		String[] arguments = Stream
			.concat(Stream.of(database.springProperties()),
					Stream.of("server.port=0", "migrations.backup.directory=" + backups,
							"spring.flyway.locations=classpath:db/migration,filesystem:" + extra,
							"management.endpoint.migrations.access=unrestricted", "migrations.endpoint.write-role="))
			.map((property) -> "--" + property)
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.run(arguments);
		try {
			String port = context.getEnvironment().getProperty("local.server.port");
			Map<String, Map<String, Set<String>>> migrated = series(scrape(port));
			assertThat(migrated).as("the run backed up and migrated")
				.containsKeys("migrations_runs_seconds_count", "migrations_backups_seconds_count",
						"migrations_backup_size_bytes_sum", "migrations_version_current");
			check("after a run that backed up and migrated", expressions, alerts, migrated);

			Files.writeString(extra.resolve("V4__broken.sql"), "UPDATE usertable SET no_such_column = 1;\n");
			HttpResponse<String> failed = this.http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/actuator/migrations"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"migrate\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
			check("after a migrate that failed", expressions, alerts, series(scrape(port)));
		}
		finally {
			SpringApplication.exit(context);
		}
	}

	@Test
	void theCheckCatchesAnUnknownSeriesLabelOrValue() {
		Map<String, Map<String, Set<String>>> exported = series("""
				migrations_runs_seconds_count{operation="migrate",outcome="failed"} 0
				migrations_pending 0.0
				""");
		assertThat(problems("migrations_runs_seconds_count{outcome=\"failed\"}", exported)).isEmpty();
		assertThat(problems("sum by (job, outcome) (migrations_runs_seconds_count{operation=~\"migrate|rollback\"})",
				exported))
			.singleElement()
			.asString()
			.contains("operation=~\"rollback\"");
		assertThat(problems("migrations_runs_total", exported)).singleElement().asString().contains("not exported");
		assertThat(problems("migrations_pending{strategy=\"pg-dump\"}", exported)).singleElement()
			.asString()
			.contains("no label 'strategy'");
		assertThat(problems("max by (strategy) (migrations_pending)", exported)).singleElement()
			.asString()
			.contains("groups by 'strategy'");
		assertThat(problems("migrations_runs_seconds_count{outcome=\"failure\"}", exported)).singleElement()
			.asString()
			.contains("outcome=\"failure\"");
	}

	private static void check(String when, List<String> expressions, Map<String, String> alerts,
			Map<String, Map<String, Set<String>>> exported) {
		List<String> problems = new ArrayList<>();
		for (String expression : expressions) {
			problems.addAll(problems(expression, exported));
		}
		alerts.forEach((expression, annotations) -> {
			Set<String> grouped = new TreeSet<>(TARGET_LABELS);
			Matcher grouping = GROUPING.matcher(expression);
			while (grouping.find()) {
				grouped.addAll(labels(grouping.group(1)));
			}
			Matcher used = ANNOTATION_LABEL.matcher(annotations);
			while (used.find()) {
				if (!grouped.contains(used.group(1))) {
					problems.add("an annotation reads $labels." + used.group(1) + ", which " + expression
							+ " does not keep");
				}
			}
		});
		assertThat(problems).as(when + ", exported: " + exported).isEmpty();
	}

	/**
	 * What an expression selects that the exported series do not have.
	 */
	static List<String> problems(String expression, Map<String, Map<String, Set<String>>> exported) {
		List<String> problems = new ArrayList<>();
		Matcher selector = SELECTOR.matcher(expression);
		while (selector.find()) {
			String name = selector.group(1);
			Map<String, Set<String>> labels = exported.get(name);
			if (labels == null) {
				problems.add(name + " is not exported (" + expression + ")");
				continue;
			}
			if (selector.group(2) == null) {
				continue;
			}
			Matcher matcher = MATCHER.matcher(selector.group(2));
			while (matcher.find()) {
				String label = matcher.group(1);
				String operator = matcher.group(2);
				String value = matcher.group(3);
				if (TARGET_LABELS.contains(label)) {
					continue;
				}
				if (!labels.containsKey(label)) {
					problems.add(name + " has no label '" + label + "' (" + expression + ")");
					continue;
				}
				if (value.contains("$")) {
					continue;
				}
				List<String> values = operator.equals("=") ? List.of(value)
						: operator.equals("=~") && value.matches("[a-z0-9_|-]+") ? List.of(value.split("\\|"))
								: List.of();
				for (String one : values) {
					if (!labels.get(label).contains(one)) {
						problems.add(name + " has no series with " + label + operator + "\"" + one + "\" (it has "
								+ labels.get(label) + "): " + expression);
					}
				}
			}
		}
		Matcher grouping = GROUPING.matcher(expression);
		while (grouping.find()) {
			String argument = argument(expression, grouping.end());
			Matcher inside = SELECTOR.matcher(argument);
			while (inside.find()) {
				Map<String, Set<String>> labels = exported.get(inside.group(1));
				if (labels == null) {
					continue;
				}
				for (String label : labels(grouping.group(1))) {
					if (!TARGET_LABELS.contains(label) && !labels.containsKey(label)) {
						problems.add(inside.group(1) + " has no label '" + label + "', but " + expression
								+ " groups by '" + label + "'");
					}
				}
			}
		}
		return problems;
	}

	/**
	 * The parenthesised argument of an aggregation, which follows its {@code by (…)}.
	 */
	private static String argument(String expression, int from) {
		int start = expression.indexOf('(', from);
		int depth = 0;
		for (int i = start; i < expression.length(); i++) {
			char c = expression.charAt(i);
			depth += (c == '(') ? 1 : (c == ')') ? -1 : 0;
			if (depth == 0) {
				return expression.substring(start, i + 1);
			}
		}
		throw new AssertionError("Unbalanced parentheses in " + expression);
	}

	private static List<String> labels(String list) {
		return Stream.of(list.split(",")).map(String::strip).filter((label) -> !label.isEmpty()).toList();
	}

	/**
	 * Each exported series name with each of its labels and the values they take.
	 */
	static Map<String, Map<String, Set<String>>> series(String exposition) {
		Map<String, Map<String, Set<String>>> series = new TreeMap<>();
		Matcher line = EXPOSED_SERIES.matcher(exposition);
		while (line.find()) {
			Map<String, Set<String>> labels = series.computeIfAbsent(line.group(1), (name) -> new TreeMap<>());
			if (line.group(2) != null) {
				Matcher label = EXPOSED_LABEL.matcher(line.group(2));
				while (label.find()) {
					labels.computeIfAbsent(label.group(1), (name) -> new TreeSet<>()).add(label.group(2));
				}
			}
		}
		return series;
	}

	private String scrape(String port) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static List<String> dashboardExpressions() throws Exception {
		JsonNode dashboard = JsonMapper.builder()
			.build()
			.readTree(Files.readString(Path.of("../docs/grafana/migrations-dashboard.json")));
		assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(8);
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			JsonNode targets = panel.get("targets");
			if (targets != null) {
				for (JsonNode target : targets) {
					expressions.add(target.get("expr").asString());
				}
			}
		}
		for (JsonNode variable : dashboard.get("templating").get("list")) {
			if (variable.has("query") && variable.get("query").asString().contains("migrations_")) {
				expressions.add(variable.get("query").asString());
			}
		}
		return expressions;
	}

	/**
	 * The alerts' expressions, added to {@code expressions}; returned each with the text
	 * of its annotations, which may read the labels the expression keeps.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, String> alerts(List<String> expressions) throws Exception {
		Map<String, Object> document = new Yaml()
			.load(Files.readString(Path.of("../docs/prometheus/migrations-alerts.yml")));
		Map<String, String> alerts = new LinkedHashMap<>();
		List<Object> names = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) document.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				assertThat(rule).containsKeys("alert", "expr", "annotations");
				names.add(rule.get("alert"));
				String expression = (String) rule.get("expr");
				expressions.add(expression);
				alerts.put(expression, rule.get("annotations").toString());
			}
		}
		assertThat(names).contains("MigrationFailed", "MigrationsPendingTooLong", "MigrationBackupFailed",
				"MigrationsNoSuccessfulRun");
		return alerts;
	}

}
