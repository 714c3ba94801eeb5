package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of the events the migration lifecycle publishes. Their source is the
 * {@link Flyway} instance that migrated.
 * <p>
 * Events of a start-up run are published while the application context is being
 * refreshed, before {@code @EventListener} methods are registered: listen with an
 * {@link org.springframework.context.ApplicationListener} bean instead.
 *
 * @author apiforge
 */
public abstract class MigrationLifecycleEvent extends ApplicationEvent {

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance the lifecycle ran on
	 */
	protected MigrationLifecycleEvent(Flyway flyway) {
		super(flyway);
	}

	/**
	 * Return the Flyway instance the lifecycle ran on.
	 * @return the Flyway instance
	 */
	public Flyway getFlyway() {
		return (Flyway) getSource();
	}

}
