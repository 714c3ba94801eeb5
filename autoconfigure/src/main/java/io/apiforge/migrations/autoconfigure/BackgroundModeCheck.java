package io.apiforge.migrations.autoconfigure;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

import io.apiforge.migrations.lifecycle.BackgroundModeRefusedException;
import io.apiforge.migrations.lifecycle.MigrationMode;

/**
 * Refuses {@code migrations.mode=background} at start-up where it cannot be safe:
 * where Spring Boot would touch the schema during start-up, which in background mode
 * comes before the migrations instead of after them. Detected from the properties:
 * <ul>
 * <li>{@code spring.jpa.hibernate.ddl-auto}, and Hibernate's own
 * {@code spring.jpa.properties.hibernate.hbm2ddl.auto}, set to anything but
 * {@code none}: Hibernate validates (or creates, or updates) the schema when its
 * {@code EntityManagerFactory} starts;</li>
 * <li>{@code spring.sql.init.mode=always}: Spring Boot runs {@code schema.sql} and
 * {@code data.sql} after Flyway, on the schema Flyway left.</li>
 * </ul>
 *
 * @author apiforge
 */
final class BackgroundModeCheck {

	private static final String[] SCHEMA_GENERATION = { "spring.jpa.hibernate.ddl-auto",
			"spring.jpa.properties.hibernate.hbm2ddl.auto" };

	private static final String SQL_INIT_MODE = "spring.sql.init.mode";

	private BackgroundModeCheck() {
	}

	/**
	 * Check the environment, in background mode only.
	 * @param mode the configured mode
	 * @param environment the environment
	 * @throws BackgroundModeRefusedException when background mode cannot be safe
	 */
	static void check(MigrationMode mode, Environment environment) {
		Assert.notNull(mode, "'mode' must not be null");
		Assert.notNull(environment, "'environment' must not be null");
		if (mode != MigrationMode.BACKGROUND) {
			return;
		}
		Binder binder = Binder.get(environment);
		for (String property : SCHEMA_GENERATION) {
			String value = value(binder, property);
			if (value != null && !value.equals("none")) {
				throw new BackgroundModeRefusedException("migrations.mode=background is refused: " + property + "="
						+ value + " makes Hibernate " + verb(value) + " the schema while the application starts, and in "
						+ "background mode the migrations run only after start-up, so it would see the schema before it "
						+ "is migrated.",
						"Set " + property + "=none (Flyway owns the schema) to migrate in the background, or keep " + property
								+ "=" + value + " with migrations.mode=migrate (migrations run before JPA starts), or "
								+ "migrate in a Job (migrations.mode=migrate-and-exit) and run the application with "
								+ "migrations.mode=validate.");
			}
		}
		if ("always".equals(value(binder, SQL_INIT_MODE))) {
			throw new BackgroundModeRefusedException("migrations.mode=background is refused: " + SQL_INIT_MODE
					+ "=always makes Spring Boot run its SQL scripts (schema.sql, data.sql) after Flyway, while the "
					+ "application starts, and in background mode the migrations run only after start-up, so the scripts "
					+ "would run on the schema before it is migrated.",
					"Move the scripts into Flyway migrations (or repeatable R__ migrations) and remove " + SQL_INIT_MODE
							+ ", or use migrations.mode=migrate, which migrates before the scripts run.");
		}
	}

	private static @Nullable String value(Binder binder, String property) {
		return binder.bind(property, String.class)
			.map((value) -> value.strip().toLowerCase(Locale.ROOT).replace('_', '-'))
			.orElse(null);
	}

	private static String verb(String value) {
		return switch (value) {
			case "validate" -> "validate";
			case "update" -> "update";
			default -> "create or drop";
		};
	}

}
