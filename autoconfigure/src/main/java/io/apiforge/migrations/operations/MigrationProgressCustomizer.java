package io.apiforge.migrations.operations;

import java.util.Arrays;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.util.Assert;

import io.apiforge.migrations.status.BackfillProgress;
import io.apiforge.migrations.status.BackfillProgressListener;
import io.apiforge.migrations.status.MigrationStatusHolder;

/**
 * Adds to the {@code Flyway} bean a callback that tells the status which migration a run
 * is applying, so that {@code /actuator/migrations} and the health contributor show a
 * long migration's progress (the migration, n of m) while Flyway's {@code migrate()}
 * runs. It keeps the callbacks already configured (Spring Boot's {@code Callback} beans):
 * Flyway's {@code callbacks(…)} replaces them.
 *
 * @author apiforge
 */
public class MigrationProgressCustomizer implements FlywayConfigurationCustomizer {

	private final MigrationStatusHolder status;

	/**
	 * Create a customizer.
	 * @param status the status the progress is told to
	 */
	public MigrationProgressCustomizer(MigrationStatusHolder status) {
		Assert.notNull(status, "'status' must not be null");
		this.status = status;
	}

	@Override
	public void customize(FluentConfiguration configuration) {
		Callback[] existing = configuration.getCallbacks();
		Callback[] callbacks = Arrays.copyOf(existing, existing.length + 1);
		callbacks[existing.length] = new ProgressCallback(this.status);
		configuration.callbacks(callbacks);
	}

	/**
	 * Tells the status of each migration Flyway is about to apply. It touches no
	 * database, so it may run inside the migration's transaction.
	 */
	static final class ProgressCallback implements Callback, BackfillProgressListener {

		private final MigrationStatusHolder status;

		ProgressCallback(MigrationStatusHolder status) {
			this.status = status;
		}

		@Override
		public boolean supports(Event event, Context context) {
			return event == Event.BEFORE_EACH_MIGRATE;
		}

		@Override
		public boolean canHandleInTransaction(Event event, Context context) {
			return true;
		}

		@Override
		public void handle(Event event, Context context) {
			MigrationInfo migration = context.getMigrationInfo();
			if (migration != null) {
				this.status.stepStarted((migration.getVersion() != null) ? migration.getVersion().getVersion() : null,
						migration.getDescription());
			}
		}

		@Override
		public void backfillProgressed(BackfillProgress progress) {
			this.status.backfillProgressed(progress);
		}

		@Override
		public String getCallbackName() {
			return "migrations-progress";
		}

	}

}
