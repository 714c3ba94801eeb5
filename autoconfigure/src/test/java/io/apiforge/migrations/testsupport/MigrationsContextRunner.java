package io.apiforge.migrations.testsupport;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.apiforge.migrations.autoconfigure.MigrationsAutoConfiguration;

/**
 * Application context runners wired the way an application using the starter is: data
 * source, Spring Boot's Flyway support, and the migration lifecycle.
 */
public final class MigrationsContextRunner {

	private MigrationsContextRunner() {
	}

	/**
	 * A runner whose application migrates the given database from the given location,
	 * without backups unless a test asks for them (or defines a strategy bean).
	 * @param database the database
	 * @param location a Flyway location, such as {@code classpath:db/basic}
	 * @return the runner
	 */
	public static ApplicationContextRunner forDatabase(TestDatabase database, String location) {
		return withDefaults(database, location).withPropertyValues("migrations.backup.strategy=none");
	}

	/**
	 * A runner like {@link #forDatabase(TestDatabase, String)} but with every
	 * {@code migrations.*} property at its default.
	 * @param database the database
	 * @param location a Flyway location
	 * @return the runner
	 */
	public static ApplicationContextRunner withDefaults(TestDatabase database, String location) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					MigrationsAutoConfiguration.class))
			.withPropertyValues(database.springProperties())
			.withPropertyValues("spring.flyway.locations=" + location, "spring.datasource.hikari.maximum-pool-size=3");
	}

}
