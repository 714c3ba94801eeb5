package io.apiforge.migrations.operations;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.lifecycle.PendingMigrationsCheck;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.OperationType;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Apply the contract migrations whose gate is open, in order, up to the first that must
 * wait: the gate is checked before the lock and again under it, and the migrations that
 * may run are linted before the lock (the contract rules expected). Its events go nowhere
 * (a contract run is never counted as the application's migration).
 *
 * @author apiforge
 */
final class ContractOperation implements LockedOperation<ContractMigrations.Plan> {

	private final ContractMigrations contract;

	private final boolean forced;

	private final MigrateOperation migrate;

	private volatile ContractMigrations.@Nullable Plan lastPlan;

	private final PendingMigrationsCheck lint;

	ContractOperation(ContractMigrations contract, String history, boolean forced, PendingMigrationsCheck lint) {
		this.contract = contract;
		this.forced = forced;
		this.lint = lint;
		this.migrate = new MigrateOperation(history, PendingMigrationsCheck.NONE, Flyway::migrate);
	}

	ContractMigrations.@Nullable Plan lastPlan() {
		return this.lastPlan;
	}

	@Override
	public OperationType type() {
		return OperationType.MIGRATE;
	}

	@Override
	public ContractMigrations.Plan plan(Flyway flyway, SchemaSnapshot schema, boolean underLock) {
		ContractMigrations.Plan plan = this.contract.plan(schema, this.forced);
		this.lastPlan = plan;
		if (!underLock && !plan.runnable().isEmpty()) {
			// Before the lock and the backup, only what runs now: the runnable ones are
			// the first pending ones, in order.
			this.lint.check(flyway, schema.pending().subList(0, plan.runnable().size()), true);
		}
		return plan;
	}

	@Override
	public @Nullable String nothingToDo(ContractMigrations.Plan plan, boolean underLock) {
		if (!plan.runnable().isEmpty()) {
			return null;
		}
		return "Contract migrations: none may run now"
				+ (underLock ? " (another instance ran them, or an instance started, while this one waited for the lock)"
						: "")
				+ "; no backup, no migration.";
	}

	@Override
	public BackupRequest backupRequest(Flyway flyway, ContractMigrations.Plan plan, SchemaSnapshot schema) {
		return new BackupRequest(flyway.getConfiguration().getDataSource(),
				SchemaHistory.schemasOf(flyway.getConfiguration()), schema.currentVersion(), plan.target(),
				plan.runnable().size(), BackupKind.PRE_CONTRACT);
	}

	@Override
	public int steps(ContractMigrations.Plan plan, SchemaSnapshot schema) {
		return plan.runnable().size();
	}

	@Override
	public void apply(Flyway flyway, ContractMigrations.Plan plan, SchemaSnapshot schema, RunProgress run) {
		run.checkLock("the contract migration");
		run.applying();
		// Only up to the last migration whose gate is open: the next one waits.
		Flyway.configure(flyway.getConfiguration().getClassLoader())
			.configuration(flyway.getConfiguration())
			.target(plan.target())
			.load()
			.migrate();
	}

	@Override
	public RunOutcome completedOutcome() {
		return this.migrate.completedOutcome();
	}

	@Override
	public List<MigrationSummary> executed(SchemaSnapshot before, @Nullable SchemaSnapshot after,
			List<MigrationSummary> done) {
		return this.migrate.executed(before, after, done).stream()
			.filter((migration) -> !"BASELINE".equals(migration.type()))
			.toList();
	}

	@Override
	public MigrationsException describe(RuntimeException failure, @Nullable SchemaSnapshot before) {
		return this.migrate.describe(failure, before);
	}

	@Override
	public String report(MigrationRun run, SchemaSnapshot after) {
		return "Contract migrations: " + this.migrate.report(run, after);
	}

	@Override
	public String failureReport(MigrationRun run, @Nullable SchemaSnapshot after, MigrationsException failure) {
		return "Contract migrations: " + this.migrate.failureReport(run, after, failure);
	}

	@Override
	public ApplicationEvent completed(Flyway flyway, MigrationRun run) {
		return this.migrate.completed(flyway, run);
	}

	@Override
	public ApplicationEvent failed(Flyway flyway, MigrationRun run, MigrationsException failure) {
		return this.migrate.failed(flyway, run, failure);
	}

}
