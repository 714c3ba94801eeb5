package io.apiforge.migrations.operations;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import io.apiforge.migrations.autoconfigure.MigrationsAutoConfiguration;
import io.apiforge.migrations.autoconfigure.MigrationsTenantsAutoConfiguration;

/**
 * A JVM of its own that starts an application migrating its tenants, for tests that kill
 * it during the fan-out: {@code TenantFanOutInChildJvm --property=value ...}, the database
 * from the environment ({@code SPRING_DATASOURCE_URL}, {@code SPRING_DATASOURCE_USERNAME},
 * {@code SPRING_DATASOURCE_PASSWORD}, so that the password is on no command line). Exits
 * with 0 once started, 1 when the start-up failed.
 */
public final class TenantFanOutInChildJvm {

	private TenantFanOutInChildJvm() {
	}

	public static void main(String[] args) {
		try {
			new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).run(args).close();
			System.exit(0);
		}
		catch (RuntimeException ex) {
			System.out.println("FAILED " + ex.getMessage());
			System.exit(1);
		}
	}

	/**
	 * The application: a data source, Spring Boot's Flyway support, the lifecycle and
	 * the tenants, as {@code MigrationsContextRunner} wires them in-process.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
			MigrationsAutoConfiguration.class, MigrationsTenantsAutoConfiguration.class })
	static class Application {

	}

}
