package io.apiforge.migrations.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A started web application with the starter, for tests that speak real HTTP to it.
 * Spring Security is on: reads of {@code /actuator/**} are open, everything else needs
 * HTTP basic authentication as {@code admin} (role {@code MIGRATIONS_ADMIN}) or
 * {@code viewer} (role {@code VIEWER}).
 */
public final class WebApplication implements AutoCloseable {

	public static final String ADMIN_PASSWORD = "admin-secret";

	public static final String VIEWER_PASSWORD = "viewer-secret";

	private final ConfigurableApplicationContext context;

	private final HttpClient http = HttpClient.newHttpClient();

	private WebApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start an application on a database.
	 * @param database the database
	 * @param properties more properties, as {@code key=value}
	 * @return the started application
	 */
	public static WebApplication start(TestDatabase database, String... properties) {
		return start(database, new Class<?>[0], properties);
	}

	/**
	 * Start an application on a database, with more configuration of the test's (beans
	 * that replace the starter's, listeners).
	 * @param database the database
	 * @param configurations more configuration classes
	 * @param properties more properties, as {@code key=value}
	 * @return the started application
	 */
	public static WebApplication start(TestDatabase database, Class<?>[] configurations, String... properties) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--server.port=0");
		arguments.add("--spring.datasource.hikari.maximum-pool-size=3");
		for (String property : database.springProperties()) {
			arguments.add("--" + property);
		}
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return new WebApplication(new SpringApplicationBuilder(Application.class).sources(configurations)
			.run(arguments.toArray(String[]::new)));
	}

	/**
	 * Start an application with exactly the given properties (besides a random port):
	 * no {@code spring.datasource.*} from a {@link TestDatabase}, for a test that
	 * configures its own connection.
	 * @param properties the properties, as {@code key=value}
	 * @return the started application
	 */
	public static WebApplication startWith(String... properties) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--server.port=0");
		for (String property : properties) {
			arguments.add("--" + property);
		}
		return new WebApplication(
				new SpringApplicationBuilder(Application.class).run(arguments.toArray(String[]::new)));
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET(), null);
	}

	public Response get(String path, String user, String password) {
		return send(HttpRequest.newBuilder(uri(path)).GET(), user + ":" + password);
	}

	public Response post(String path, String json, @Nullable String user, @Nullable String password) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		return send(request, (user != null) ? user + ":" + password : null);
	}

	private Response send(HttpRequest.Builder request, @Nullable String credentials) {
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.context.getEnvironment().getProperty("local.server.port") + path);
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param body the body
	 */
	public record Response(int status, String body) {
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, "/actuator/**")
					.permitAll()
					.anyRequest()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/**"))
				.build();
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("admin").password("{noop}" + ADMIN_PASSWORD).roles("MIGRATIONS_ADMIN").build(),
					User.withUsername("viewer").password("{noop}" + VIEWER_PASSWORD).roles("VIEWER").build());
		}

	}

}
