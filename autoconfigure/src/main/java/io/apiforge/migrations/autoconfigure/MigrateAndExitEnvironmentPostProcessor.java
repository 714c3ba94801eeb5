package io.apiforge.migrations.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps the web server from starting in the modes that run once and exit
 * ({@code migrate-and-exit}, {@code rollback}, {@code plan}): a migration job must not
 * open a port nor be mistaken for a running application. Runs after the
 * application's configuration files are loaded, so that the mode can be set there.
 *
 * @author apiforge
 */
public class MigrateAndExitEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The name of the property source this post-processor adds. */
	public static final String PROPERTY_SOURCE_NAME = "migrationsMigrateAndExit";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (MigrationModes.isOneShot(environment)) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("spring.main.web-application-type", "none")));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
