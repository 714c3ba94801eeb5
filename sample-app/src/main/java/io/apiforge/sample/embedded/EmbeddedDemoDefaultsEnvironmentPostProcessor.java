package io.apiforge.sample.embedded;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Settings for the embedded demo database only (no {@code spring.datasource.url}): a
 * newcomer's machine may have no {@code pg_dump}, and the demo database is throw-away,
 * so a failed backup does not stop the demo ({@code migrations.backup.on-failure=continue};
 * the log says plainly that it migrated without one). Backups that do succeed go next to
 * the demo data. Against a real server none of this applies: the starter's fail-closed
 * defaults do. Added last, so that anything the user sets wins.
 *
 * @author apiforge
 */
public class EmbeddedDemoDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "sampleEmbeddedDemoDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!StringUtils.hasText(environment.getProperty(OnNoDataSourceUrlCondition.URL_PROPERTY))) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of("migrations.backup.on-failure", "continue",
						"migrations.backup.directory", "./sample-backups")));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
