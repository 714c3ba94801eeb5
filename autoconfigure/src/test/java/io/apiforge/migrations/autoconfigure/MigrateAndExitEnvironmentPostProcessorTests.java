package io.apiforge.migrations.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code migrate-and-exit} mode switches the web server off.
 */
class MigrateAndExitEnvironmentPostProcessorTests {

	private final MigrateAndExitEnvironmentPostProcessor postProcessor = new MigrateAndExitEnvironmentPostProcessor();

	@Test
	void migrateAndExitModeTurnsTheWebServerOffOverTheApplicationsOwnSetting() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.mode", "migrate-and-exit")
			.withProperty("spring.main.web-application-type", "servlet");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
	}

	@Test
	void otherModesLeaveTheWebServerAlone() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.mode", "validate");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.main.web-application-type")).isNull();
	}

	@Test
	void aDisabledLifecycleLeavesTheWebServerAlone() {
		MockEnvironment environment = new MockEnvironment().withProperty("migrations.mode", "migrate-and-exit")
			.withProperty("migrations.enabled", "false");
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(environment.getProperty("spring.main.web-application-type")).isNull();
	}

}
