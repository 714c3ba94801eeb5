package io.apiforge.migrations.operations;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flywaydb.core.Flyway;

import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.status.MigrationSummary;

/**
 * Runs a check of pending migrations (the lint) once per script for many schemas that
 * share their scripts, such as tenants: the first schema that has a script pending checks
 * it, the others reuse the verdict, and a script that failed the check fails it for every
 * schema that has it pending, so that no tenant migrates a script another was refused.
 * Thread-safe; a schema waits while another checks.
 *
 * @author apiforge
 */
final class OncePerScriptCheck implements PendingMigrationsCheck {

	private final PendingMigrationsCheck delegate;

	private final Map<String, Optional<RuntimeException>> verdicts = new HashMap<>();

	OncePerScriptCheck(PendingMigrationsCheck delegate) {
		this.delegate = delegate;
	}

	@Override
	public synchronized void check(Flyway flyway, List<MigrationSummary> pending, boolean enforce) {
		List<MigrationSummary> unchecked = pending.stream()
			.filter((migration) -> !this.verdicts.containsKey(key(migration)))
			.toList();
		if (!unchecked.isEmpty()) {
			try {
				this.delegate.check(flyway, unchecked, enforce);
				unchecked.forEach((migration) -> this.verdicts.put(key(migration), Optional.empty()));
			}
			catch (RuntimeException ex) {
				unchecked.forEach((migration) -> this.verdicts.put(key(migration), Optional.of(ex)));
				throw ex;
			}
		}
		for (MigrationSummary migration : pending) {
			Optional<RuntimeException> failure = this.verdicts.get(key(migration));
			if (failure != null && failure.isPresent()) {
				throw failure.get();
			}
		}
	}

	private static String key(MigrationSummary migration) {
		return migration.version() + "|" + migration.description() + "|" + migration.script();
	}

}
