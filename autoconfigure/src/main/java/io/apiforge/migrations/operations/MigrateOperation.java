package io.apiforge.migrations.operations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.events.MigrationCompletedEvent;
import io.apiforge.migrations.events.MigrationFailedEvent;
import io.apiforge.migrations.events.MigrationStartedEvent;
import io.apiforge.migrations.lifecycle.FlywayRefusalCheck;
import io.apiforge.migrations.lifecycle.MigrationFailureDescriber;
import io.apiforge.migrations.lifecycle.MigrationRunReport;
import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Migrate: the pending migrations are checked (the lint) before the lock, backed up for,
 * and applied by the migrator (Flyway's {@code migrate()} or the user's own strategy).
 *
 * @author apiforge
 */
final class MigrateOperation implements LockedOperation<SchemaSnapshot> {

	/** The type of the history row Flyway writes when it creates the schemas it manages. */
	private static final String SCHEMA_CREATION = "SCHEMA";

	private final String history;

	private final PendingMigrationsCheck pendingCheck;

	private final Consumer<Flyway> migrator;

	MigrateOperation(String history, PendingMigrationsCheck pendingCheck, Consumer<Flyway> migrator) {
		this.history = history;
		this.pendingCheck = pendingCheck;
		this.migrator = migrator;
	}

	@Override
	public OperationType type() {
		return OperationType.MIGRATE;
	}

	@Override
	public SchemaSnapshot plan(Flyway flyway, SchemaSnapshot schema, boolean underLock) {
		if (schema.hasPending()) {
			FlywayRefusalCheck.check(flyway, schema);
			if (!underLock) {
				this.pendingCheck.check(flyway, schema.pending(), true);
			}
		}
		return schema;
	}

	@Override
	public @Nullable String nothingToDo(SchemaSnapshot schema, boolean underLock) {
		if (schema.hasPending()) {
			return null;
		}
		return "Schema is up to date at version " + MigrationFailureDescriber.versionLabel(schema.currentVersion()) + ": "
				+ (underLock ? "another instance applied the pending migrations while this one waited for the lock"
						: "nothing is pending")
				+ "; no backup, no migration.";
	}

	@Override
	public ApplicationEvent started(Flyway flyway, SchemaSnapshot plan, SchemaSnapshot schema) {
		return new MigrationStartedEvent(flyway, schema.currentVersion(), schema.expectedVersion(), schema.pending());
	}

	@Override
	public BackupRequest backupRequest(Flyway flyway, SchemaSnapshot plan, SchemaSnapshot schema) {
		Configuration configuration = flyway.getConfiguration();
		return new BackupRequest(configuration.getDataSource(), SchemaHistory.schemasOf(configuration),
				schema.currentVersion(), schema.expectedVersion(), schema.pending().size(), BackupKind.PRE_MIGRATION);
	}

	@Override
	public int steps(SchemaSnapshot plan, SchemaSnapshot schema) {
		return schema.pending().size();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each migration Flyway starts is told to readers by the
	 * {@link MigrationProgressCustomizer progress callback}.
	 */
	@Override
	public void apply(Flyway flyway, SchemaSnapshot plan, SchemaSnapshot schema, RunProgress run) {
		run.checkLock("the migration");
		run.applying();
		this.migrator.accept(flyway);
	}

	@Override
	public RunOutcome completedOutcome() {
		return RunOutcome.MIGRATED;
	}

	@Override
	public List<MigrationSummary> executed(SchemaSnapshot before, @Nullable SchemaSnapshot after,
			List<MigrationSummary> done) {
		if (after == null) {
			return List.of();
		}
		Set<Integer> appliedBefore = new HashSet<>();
		before.applied().forEach((migration) -> appliedBefore.add(migration.installedRank()));
		List<MigrationSummary> executed = new ArrayList<>();
		for (MigrationSummary migration : after.applied()) {
			if (!appliedBefore.contains(migration.installedRank()) && !SCHEMA_CREATION.equals(migration.type())) {
				executed.add(migration);
			}
		}
		return executed;
	}

	@Override
	public MigrationsException describe(RuntimeException failure, @Nullable SchemaSnapshot before) {
		return MigrationFailureDescriber.describe(failure, (before != null) ? before.currentVersion() : null);
	}

	@Override
	public String report(MigrationRun run, SchemaSnapshot after) {
		return MigrationRunReport.describe(run, this.history, after);
	}

	@Override
	public String failureReport(MigrationRun run, @Nullable SchemaSnapshot after, MigrationsException failure) {
		return MigrationRunReport.describeFailure(run, this.history, after, failure);
	}

	@Override
	public ApplicationEvent completed(Flyway flyway, MigrationRun run) {
		return new MigrationCompletedEvent(flyway, run);
	}

	@Override
	public ApplicationEvent failed(Flyway flyway, MigrationRun run, MigrationsException failure) {
		return new MigrationFailedEvent(flyway, run, failure);
	}

}
