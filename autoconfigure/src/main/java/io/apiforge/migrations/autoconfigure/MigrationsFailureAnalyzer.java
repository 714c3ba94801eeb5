package io.apiforge.migrations.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.apiforge.migrations.MigrationsException;

/**
 * Prints a failed lifecycle as Spring Boot prints its own start-up failures: what
 * happened, then what to do, instead of a wall of stack trace.
 *
 * @author apiforge
 */
class MigrationsFailureAnalyzer extends AbstractFailureAnalyzer<MigrationsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MigrationsException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
