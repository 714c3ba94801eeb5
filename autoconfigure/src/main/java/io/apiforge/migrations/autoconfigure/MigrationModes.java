package io.apiforge.migrations.autoconfigure;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.apiforge.migrations.lifecycle.MigrationMode;

/**
 * Reads the configured {@link MigrationMode} before the properties bean exists, with the
 * same relaxed binding ({@code migrate-and-exit}, {@code MIGRATE_AND_EXIT}).
 *
 * @author apiforge
 */
final class MigrationModes {

	private MigrationModes() {
	}

	/**
	 * Return whether the configured mode runs once and exits ({@code migrate-and-exit},
	 * {@code rollback}, {@code plan}).
	 * @param environment the environment
	 * @return whether the application exits after the lifecycle
	 */
	static boolean isOneShot(Environment environment) {
		Binder binder = Binder.get(environment);
		boolean enabled = binder.bind("migrations.enabled", Boolean.class).orElse(true);
		return enabled && binder.bind("migrations.mode", MigrationMode.class).map(MigrationMode::isOneShot).orElse(false);
	}

}
