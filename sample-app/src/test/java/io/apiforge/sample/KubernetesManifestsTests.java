package io.apiforge.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.apiforge.migrations.lifecycle.MigrationMode;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests shipped in {@code docs/kubernetes/} work as shipped with the
 * sample app: every environment variable they set binds to a property the application
 * knows (its own, the starter's or Spring Boot's metadata), every mode they name is a
 * mode of the starter, the port they probe is the one the application listens on, and
 * every probe path answers over real HTTP from the application started with the
 * manifest's own environment, with the migrations in readiness and never in liveness.
 * <p>
 * No cluster runs here (no Docker, no kind): what Kubernetes itself does with the
 * manifests (a Job's pod, a rolling update) is not tested; what the application does
 * with them is.
 */
@WithPostgres
class KubernetesManifestsTests {

	private static final Path MANIFESTS = Path.of("../docs/kubernetes");

	private static final String JOB = "migrate-job.yaml";

	private static final String BACKGROUND = "background.yaml";

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyEnvironmentVariableOfTheManifestsIsAPropertyTheApplicationKnows() throws IOException {
		KnownProperties known = KnownProperties.load();
		Set<String> unknown = new TreeSet<>();
		int checked = 0;
		for (String manifest : List.of(JOB, BACKGROUND)) {
			for (Map<String, Object> document : documents(manifest)) {
				for (String name : environmentNames(document)) {
					checked++;
					if (!known.binds(name)) {
						unknown.add(manifest + ": " + name);
					}
				}
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(10);
		assertThat(unknown).as("environment variables that bind to no property").isEmpty();
	}

	@Test
	void theJobMigratesAndExitsAndTheDeploymentsValidateOrMigrateInTheBackground() throws IOException {
		assertThat(mode(container(documents(JOB), "Job"))).isEqualTo(MigrationMode.MIGRATE_AND_EXIT);
		assertThat(mode(container(documents(JOB), "Deployment"))).isEqualTo(MigrationMode.VALIDATE);
		assertThat(mode(container(documents(BACKGROUND), "Deployment"))).isEqualTo(MigrationMode.BACKGROUND);
	}

	@Test
	void theProbedPortIsTheOneTheApplicationListensOn() throws IOException {
		Properties application = new Properties();
		try (InputStream input = getClass().getResourceAsStream("/application.properties")) {
			application.load(input);
		}
		int listensOn = Integer.parseInt(application.getProperty("server.port", "8080"));
		for (String manifest : List.of(JOB, BACKGROUND)) {
			Map<String, Object> container = container(documents(manifest), "Deployment");
			Map<String, Integer> ports = new LinkedHashMap<>();
			for (Map<String, Object> port : list(container.get("ports"))) {
				ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
			}
			assertThat(ports).as(manifest).containsValue(listensOn);
			for (Map<String, Object> probe : probes(container).values()) {
				Object port = map(probe.get("httpGet")).get("port");
				assertThat((port instanceof String name) ? ports.get(name) : port).as(manifest).isEqualTo(listensOn);
			}
		}
	}

	@Test
	void inTheBackgroundManifestLivenessAnswersWhileReadinessWaitsForTheMigration(TestDatabase database,
			@TempDir Path backups) throws Exception {
		Map<String, Object> container = container(documents(BACKGROUND), "Deployment");
		try (ConfigurableApplicationContext context = start(container, database, backups)) {
			URI base = baseUri(context);
			Map<String, Map<String, Object>> probes = probes(container);
			assertThat(probes).containsKeys("startupProbe", "livenessProbe", "readinessProbe");
			String readiness = path(probes.get("readinessProbe"));
			Eventually.await("readiness after the background migration", () -> status(base, readiness) == 200);
			assertProbesAnswerWithMigrationsInReadinessOnly(base, probes);
			assertThat(database.jdbc().queryForObject("SELECT max(version) FROM flyway_schema_history", String.class))
				.isEqualTo("3");
		}
	}

	@Test
	void theJobsDeploymentAnswersItsProbesOnceTheSchemaIsMigrated(TestDatabase database, @TempDir Path backups)
			throws Exception {
		try (ConfigurableApplicationContext migrated = new SpringApplicationBuilder(SampleApplication.class)
			.main(SampleApplication.class)
			.run(arguments(database, backups, "server.port=0"))) {
			// The Job's part, done by a plain start: the jar tests run migrate-and-exit itself.
		}
		Map<String, Object> container = container(documents(JOB), "Deployment");
		try (ConfigurableApplicationContext context = start(container, database, backups)) {
			Map<String, Map<String, Object>> probes = probes(container);
			assertThat(probes).containsKeys("livenessProbe", "readinessProbe");
			assertProbesAnswerWithMigrationsInReadinessOnly(baseUri(context), probes);
		}
	}

	private void assertProbesAnswerWithMigrationsInReadinessOnly(URI base, Map<String, Map<String, Object>> probes)
			throws Exception {
		for (Map.Entry<String, Map<String, Object>> probe : probes.entrySet()) {
			HttpResponse<String> response = get(base, path(probe.getValue()));
			assertThat(response.statusCode()).as(probe.getKey() + " " + path(probe.getValue())).isEqualTo(200);
			JsonNode components = this.json.readTree(response.body()).path("components");
			if (probe.getKey().equals("readinessProbe")) {
				assertThat(components.has("migrations")).as("migrations in readiness").isTrue();
			}
			else {
				assertThat(components.has("migrations")).as("migrations in " + probe.getKey()).isFalse();
			}
		}
	}

	/**
	 * Start the sample app with the container's environment as the manifest sets it,
	 * but the test's database (the manifest's Secret names a server that does not
	 * exist here), a backup directory of the test's, and a free port.
	 */
	private ConfigurableApplicationContext start(Map<String, Object> container, TestDatabase database, Path backups) {
		Map<String, Object> environment = new LinkedHashMap<>();
		for (Map<String, Object> variable : list(container.get("env"))) {
			environment.put((String) variable.get("name"), String.valueOf(variable.get("value")));
		}
		StandardEnvironment springEnvironment = new StandardEnvironment();
		springEnvironment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("manifestEnvironment", environment));
		return new SpringApplicationBuilder(SampleApplication.class).main(SampleApplication.class)
			.environment(springEnvironment)
			.run(arguments(database, backups, "server.port=0"));
	}

	private static String[] arguments(TestDatabase database, Path backups, String... more) {
		List<String> arguments = new ArrayList<>();
		for (String property : database.springProperties()) {
			arguments.add("--" + property);
		}
		arguments.add("--migrations.backup.directory=" + backups);
		for (String property : more) {
			arguments.add("--" + property);
		}
		return arguments.toArray(String[]::new);
	}

	private static URI baseUri(ConfigurableApplicationContext context) {
		return URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port"));
	}

	private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private int status(URI base, String path) {
		try {
			return get(base, path).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static MigrationMode mode(Map<String, Object> container) {
		for (Map<String, Object> variable : list(container.get("env"))) {
			if ("MIGRATIONS_MODE".equals(variable.get("name"))) {
				return MigrationMode.valueOf(((String) variable.get("value")).toUpperCase(Locale.ROOT).replace('-', '_'));
			}
		}
		throw new AssertionError("The container sets no MIGRATIONS_MODE: " + container.get("name"));
	}

	private static String path(Map<String, Object> probe) {
		return (String) map(probe.get("httpGet")).get("path");
	}

	private static Map<String, Map<String, Object>> probes(Map<String, Object> container) {
		Map<String, Map<String, Object>> probes = new LinkedHashMap<>();
		for (String kind : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			if (container.get(kind) != null) {
				probes.put(kind, map(container.get(kind)));
			}
		}
		return probes;
	}

	private static List<Map<String, Object>> documents(String manifest) throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml().loadAll(Files.readString(MANIFESTS.resolve(manifest)))) {
			if (document != null) {
				documents.add(map(document));
			}
		}
		assertThat(documents).as(manifest).isNotEmpty();
		return documents;
	}

	private static Map<String, Object> container(List<Map<String, Object>> documents, String kind) {
		for (Map<String, Object> document : documents) {
			if (kind.equals(document.get("kind"))) {
				Map<String, Object> podSpec = map(map(map(document.get("spec")).get("template")).get("spec"));
				List<Map<String, Object>> containers = list(podSpec.get("containers"));
				assertThat(containers).hasSize(1);
				return containers.get(0);
			}
		}
		throw new AssertionError("No " + kind + " in the manifest");
	}

	/** Variables set on containers, and the keys of Secrets given to them whole. */
	private static List<String> environmentNames(Map<String, Object> document) {
		List<String> names = new ArrayList<>();
		if ("Secret".equals(document.get("kind"))) {
			names.addAll(map(document.get("stringData")).keySet());
		}
		Object spec = document.get("spec");
		if (spec != null && map(spec).get("template") != null) {
			Map<String, Object> podSpec = map(map(map(spec).get("template")).get("spec"));
			for (Map<String, Object> container : list(podSpec.get("containers"))) {
				for (Map<String, Object> variable : list(container.get("env"))) {
					names.add((String) variable.get("name"));
				}
			}
		}
		return names;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		return (value != null) ? (Map<String, Object>) value : Collections.emptyMap();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object value) {
		return (value != null) ? (List<Map<String, Object>>) value : Collections.emptyList();
	}

	/**
	 * The properties described by every configuration metadata file on the class path,
	 * with Spring Boot's rule for environment variables: upper case, {@code _} for
	 * {@code .}, dashes removed. A variable below a map property (such as a health
	 * group's {@code include}) binds to its map.
	 */
	private static final class KnownProperties {

		private final Set<String> properties = new TreeSet<>();

		private final Set<String> maps = new TreeSet<>();

		static KnownProperties load() throws IOException {
			KnownProperties known = new KnownProperties();
			JsonMapper json = JsonMapper.builder().build();
			for (URL url : Collections.list(KubernetesManifestsTests.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream input = url.openStream()) {
					for (JsonNode property : json.readTree(input).path("properties")) {
						String name = variable(property.path("name").asString());
						known.properties.add(name);
						if (property.path("type").asString("").startsWith("java.util.Map")) {
							known.maps.add(name + "_");
						}
					}
				}
			}
			assertThat(known.properties).contains("MIGRATIONS_MODE", "SPRING_DATASOURCE_URL");
			return known;
		}

		private static String variable(String property) {
			return property.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
		}

		boolean binds(String name) {
			return this.properties.contains(name) || this.maps.stream().anyMatch(name::startsWith);
		}

	}

}
