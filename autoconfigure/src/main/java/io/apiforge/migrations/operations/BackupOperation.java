package io.apiforge.migrations.operations;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupException;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.events.BackupCompletedEvent;
import io.apiforge.migrations.events.BackupFailedEvent;
import io.apiforge.migrations.lifecycle.MigrationFailureDescriber;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.RunPhase;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * A backup on an operator's request: inside the migration lock, so that it never
 * overlaps a migration or a rollback, labelled with the version read under the lock.
 *
 * @author apiforge
 */
final class BackupOperation implements LockedOperation<SchemaSnapshot> {

	private final BackupStrategy strategy;

	BackupOperation(BackupStrategy strategy) {
		this.strategy = strategy;
	}

	@Override
	public OperationType type() {
		return OperationType.BACKUP;
	}

	@Override
	public SchemaSnapshot plan(Flyway flyway, SchemaSnapshot schema, boolean underLock) {
		return schema;
	}

	@Override
	public @Nullable String nothingToDo(SchemaSnapshot plan, boolean underLock) {
		return null;
	}

	@Override
	public @Nullable BackupRequest backupRequest(Flyway flyway, SchemaSnapshot plan, SchemaSnapshot schema) {
		return null;
	}

	@Override
	public RunPhase applyPhase() {
		return RunPhase.BACKING_UP;
	}

	@Override
	public void apply(Flyway flyway, SchemaSnapshot plan, SchemaSnapshot schema, RunProgress run) {
		Configuration configuration = flyway.getConfiguration();
		run.checkLock("the backup");
		BackupRecord backup = this.strategy.backup(new BackupRequest(configuration.getDataSource(),
				SchemaHistory.schemasOf(configuration), schema.currentVersion(), schema.currentVersion(), 0,
				BackupKind.ON_REQUEST));
		if (backup == null) {
			throw new BackupException("The backup strategy took no backup",
					"Choose a strategy that backs up (migrations.backup.strategy=pg-dump) or define a BackupStrategy bean.",
					null);
		}
		run.backup(backup);
	}

	@Override
	public RunOutcome completedOutcome() {
		return RunOutcome.BACKED_UP;
	}

	@Override
	public List<MigrationSummary> executed(SchemaSnapshot before, @Nullable SchemaSnapshot after,
			List<MigrationSummary> done) {
		return List.of();
	}

	@Override
	public MigrationsException describe(RuntimeException failure, @Nullable SchemaSnapshot before) {
		if (failure instanceof MigrationsException described) {
			return described;
		}
		return new BackupException("The backup failed: " + failure, "Read the cause below; nothing was changed.",
				failure);
	}

	@Override
	public String report(MigrationRun run, SchemaSnapshot after) {
		BackupRecord backup = run.backup();
		return "Backup " + ((backup != null) ? backup.location() : "") + " taken on request at version "
				+ MigrationFailureDescriber.versionLabel(run.fromVersion()) + " in "
				+ DurationFormat.format(run.duration()) + ".";
	}

	@Override
	public String failureReport(MigrationRun run, @Nullable SchemaSnapshot after, MigrationsException failure) {
		return "Backup on request " + ((run.outcome() == RunOutcome.REFUSED) ? "REFUSED" : "FAILED") + ": "
				+ failure.getMessage() + " Action: " + failure.getAction();
	}

	@Override
	public ApplicationEvent completed(Flyway flyway, MigrationRun run) {
		return new BackupCompletedEvent(flyway, run.backup());
	}

	@Override
	public ApplicationEvent failed(Flyway flyway, MigrationRun run, MigrationsException failure) {
		BackupException cause = (failure instanceof BackupException backup) ? backup
				: new BackupException(failure.getMessage(), failure.getAction(), failure);
		return new BackupFailedEvent(flyway, cause, false, run.duration());
	}

}
