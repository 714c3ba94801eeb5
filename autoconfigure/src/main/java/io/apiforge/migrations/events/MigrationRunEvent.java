package io.apiforge.migrations.events;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationRun;

/**
 * Base class of the events that end a run of an operation (a migration or a rollback,
 * completed, failed or refused), so that a listener can treat every run alike: the run
 * says which operation it was ({@link MigrationRun#operation()}), how it ended
 * ({@link MigrationRun#outcome()}) and how long it took.
 *
 * @author apiforge
 */
public abstract class MigrationRunEvent extends MigrationLifecycleEvent {

	private final MigrationRun run;

	private final @Nullable MigrationsException failure;

	/**
	 * Create a new event.
	 * @param flyway the Flyway instance the run used
	 * @param run the run
	 * @param failure what went wrong, or {@code null} when the run completed
	 */
	protected MigrationRunEvent(Flyway flyway, MigrationRun run, @Nullable MigrationsException failure) {
		super(flyway);
		Assert.notNull(run, "'run' must not be null");
		this.run = run;
		this.failure = failure;
	}

	/**
	 * Return the run.
	 * @return the run
	 */
	public MigrationRun getRun() {
		return this.run;
	}

	/**
	 * Return what went wrong, for a run that failed or was refused.
	 * @return the failure, or {@code null} when the run completed
	 */
	public @Nullable MigrationsException getFailure() {
		return this.failure;
	}

}
