package io.apiforge.migrations.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.apiforge.migrations.lifecycle.MigrationMode;

/**
 * Configuration properties of the migration lifecycle. Flyway itself stays configured
 * through {@code spring.flyway.*}.
 *
 * @author apiforge
 */
@ConfigurationProperties("migrations")
public class MigrationsProperties {

	/**
	 * Whether to run Flyway through the migration lifecycle (inspect, lock, back up,
	 * migrate, publish). When disabled, Spring Boot's own Flyway support migrates as it
	 * would without this starter.
	 */
	private boolean enabled = true;

	/**
	 * What to do with pending migrations at start-up: 'migrate' applies them, 'validate'
	 * only reports them, 'migrate-and-exit' applies them and exits the JVM without
	 * starting the web server.
	 */
	private MigrationMode mode = MigrationMode.MIGRATE;

	private final Lock lock = new Lock();

	private final Validate validate = new Validate();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public MigrationMode getMode() {
		return this.mode;
	}

	public void setMode(MigrationMode mode) {
		this.mode = mode;
	}

	public Lock getLock() {
		return this.lock;
	}

	public Validate getValidate() {
		return this.validate;
	}

	/**
	 * The lock that lets one instance at a time back up and migrate.
	 */
	public static class Lock {

		/**
		 * Maximum time to wait for another instance that holds the migration lock before
		 * start-up fails.
		 */
		private Duration timeout = Duration.ofMinutes(5);

		/**
		 * Time between two attempts to take the migration lock while another instance
		 * holds it.
		 */
		private Duration retryInterval = Duration.ofMillis(500);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

	}

	/**
	 * The 'validate' mode.
	 */
	public static class Validate {

		/**
		 * Whether to refuse to start when migrations are pending in 'validate' mode.
		 * Otherwise the application starts and reports them.
		 */
		private boolean failOnPending;

		public boolean isFailOnPending() {
			return this.failOnPending;
		}

		public void setFailOnPending(boolean failOnPending) {
			this.failOnPending = failOnPending;
		}

	}

}
