package io.apiforge.migrations.events;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.status.MigrationSummary;

/**
 * Published when the lifecycle holds the migration lock and is about to back up and
 * migrate.
 *
 * @author apiforge
 */
public class MigrationStartedEvent extends MigrationLifecycleEvent {

	private final @Nullable String fromVersion;

	private final @Nullable String toVersion;

	private final List<MigrationSummary> pending;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance
	 * @param fromVersion the current version, or {@code null} when none is applied
	 * @param toVersion the version the pending migrations lead to
	 * @param pending the pending migrations, in order
	 */
	public MigrationStartedEvent(Flyway flyway, @Nullable String fromVersion, @Nullable String toVersion,
			List<MigrationSummary> pending) {
		super(flyway);
		this.fromVersion = fromVersion;
		this.toVersion = toVersion;
		this.pending = List.copyOf(pending);
	}

	/**
	 * Return the schema version before the run.
	 * @return the version, or {@code null} when none is applied
	 */
	public @Nullable String getFromVersion() {
		return this.fromVersion;
	}

	/**
	 * Return the version the pending migrations lead to.
	 * @return the version
	 */
	public @Nullable String getToVersion() {
		return this.toVersion;
	}

	/**
	 * Return the migrations about to run.
	 * @return the pending migrations, in order
	 */
	public List<MigrationSummary> getPending() {
		return this.pending;
	}

}
