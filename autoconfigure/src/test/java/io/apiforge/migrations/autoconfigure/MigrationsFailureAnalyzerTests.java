package io.apiforge.migrations.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.apiforge.migrations.lock.MigrationLockTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failed lifecycle is reported as a description and an action.
 */
class MigrationsFailureAnalyzerTests {

	@Test
	void aLifecycleFailureDeepInABeanCreationFailureIsDescribedWithItsAction() {
		MigrationLockTimeoutException cause = new MigrationLockTimeoutException("Timed out after 1.0 s",
				"Raise migrations.lock.timeout.");
		FailureAnalysis analysis = new MigrationsFailureAnalyzer()
			.analyze(new BeanCreationException("flywayInitializer", "Initialization failed", cause));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo("Timed out after 1.0 s");
		assertThat(analysis.getAction()).isEqualTo("Raise migrations.lock.timeout.");
		assertThat(analysis.getCause()).isSameAs(cause);
	}

	@Test
	void otherFailuresAreLeftToOtherAnalyzers() {
		assertThat(new MigrationsFailureAnalyzer().analyze(new IllegalStateException("unrelated"))).isNull();
	}

}
