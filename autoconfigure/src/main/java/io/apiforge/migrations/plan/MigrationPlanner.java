package io.apiforge.migrations.plan;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.backup.BackupStrategy;
import io.apiforge.migrations.backup.DatabaseContents;
import io.apiforge.migrations.backup.NoBackupStrategy;
import io.apiforge.migrations.flyway.FlywayInternals;
import io.apiforge.migrations.lint.ExistingTables;
import io.apiforge.migrations.lint.LintFinding;
import io.apiforge.migrations.lint.LintReport;
import io.apiforge.migrations.lint.MigrationLinter;
import io.apiforge.migrations.plan.MigrationPlan.BackupDecision;
import io.apiforge.migrations.plan.MigrationPlan.Step;
import io.apiforge.migrations.rollback.RollbackPlan;
import io.apiforge.migrations.rollback.RollbackPlanner;
import io.apiforge.migrations.rollback.RollbackStep;
import io.apiforge.migrations.rollback.UndoScripts;
import io.apiforge.migrations.rollback.UndoableJavaMigration;
import io.apiforge.migrations.scripts.MigrationScripts;
import io.apiforge.migrations.status.SchemaHistory;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * Computes plans. It only reads: Flyway's {@code info()}, the scripts, and the catalog
 * (to tell whether the database is empty, and for the lint); it takes no lock and
 * changes nothing.
 *
 * @author apiforge
 */
public class MigrationPlanner {

	private final BackupStrategy backupStrategy;

	private final RollbackPlanner rollbackPlanner;

	private final String undoPrefix;

	private final @Nullable MigrationLinter linter;

	/**
	 * Create a planner.
	 * @param backupStrategy the strategy a run would back up with
	 * @param rollbackPlanner plans rollbacks
	 * @param undoPrefix the prefix of undo scripts
	 * @param linter lints the pending migrations of a migrate plan, or {@code null} when
	 * the lint is off
	 */
	public MigrationPlanner(BackupStrategy backupStrategy, RollbackPlanner rollbackPlanner, String undoPrefix,
			@Nullable MigrationLinter linter) {
		Assert.notNull(backupStrategy, "'backupStrategy' must not be null");
		Assert.notNull(rollbackPlanner, "'rollbackPlanner' must not be null");
		this.backupStrategy = backupStrategy;
		this.rollbackPlanner = rollbackPlanner;
		this.undoPrefix = undoPrefix;
		this.linter = linter;
	}

	/**
	 * Plan a migrate: the pending migrations.
	 * @param flyway the Flyway instance
	 * @return the plan
	 */
	public MigrationPlan migrate(Flyway flyway) {
		Configuration configuration = flyway.getConfiguration();
		MigrationInfoService info = flyway.info();
		SchemaSnapshot snapshot = SchemaSnapshot.of(info, java.time.Instant.now());
		MigrationScripts scripts = new MigrationScripts(configuration.getLocations(), configuration.getClassLoader());
		UndoScripts undoScripts = UndoScripts.find(configuration, this.undoPrefix);
		LintReport lint = (this.linter != null)
				? this.linter.lintPending(flyway, snapshot.pending(), ExistingTables.IN_DATABASE) : LintReport.empty();
		List<Step> steps = new ArrayList<>();
		for (MigrationInfo migration : info.pending()) {
			steps.add(new Step((migration.getVersion() != null) ? migration.getVersion().getVersion() : null,
					migration.getDescription(), migration.getScript(), migration.getType().name(), migration.getChecksum(),
					scripts.read(migration.getScript()), FlywayInternals.executesInTransaction(migration), null,
					undo(configuration, undoScripts, migration), findings(lint, migration.getScript())));
		}
		List<String> problems = new ArrayList<>();
		snapshot.failed()
			.forEach((failed) -> problems.add("Migration " + failed.script() + " is recorded as failed: repair it first."));
		BackupDecision backup = steps.isEmpty() ? new BackupDecision(false, this.backupStrategy.describe(),
				"nothing is pending") : backupDecision(configuration);
		return new MigrationPlan("migrate", SchemaHistory.tableOf(configuration), snapshot.currentVersion(),
				snapshot.expectedVersion(), backup, steps, problems);
	}

	/**
	 * Plan a rollback to a target.
	 * @param flyway the Flyway instance
	 * @param target {@code base} or an applied version
	 * @return the plan
	 */
	public MigrationPlan rollback(Flyway flyway, String target) {
		Configuration configuration = flyway.getConfiguration();
		RollbackPlan rollback = this.rollbackPlanner.plan(flyway, target);
		List<Step> steps = new ArrayList<>();
		for (RollbackStep step : rollback.steps()) {
			steps.add(new Step(step.version(), step.description(), (step.undo() != null) ? step.undo() : step.script(),
					"UNDO", null, step.sql(),
					step.hasUndo() ? step.transactional() : null,
					(step.estimated() != null) ? step.estimated().toMillis() : null, step.undo(), List.of()));
		}
		BackupDecision backup = (steps.isEmpty() || !rollback.isPossible())
				? new BackupDecision(false, this.backupStrategy.describe(),
						rollback.isPossible() ? "nothing to undo" : "the rollback is refused")
				: backupDecision(configuration);
		return new MigrationPlan("rollback", SchemaHistory.tableOf(configuration), rollback.currentVersion(),
				RollbackPlanner.BASE.equalsIgnoreCase(rollback.target()) ? null : rollback.target(), backup, steps,
				rollback.problems());
	}

	private BackupDecision backupDecision(Configuration configuration) {
		if (this.backupStrategy instanceof NoBackupStrategy) {
			return new BackupDecision(false, this.backupStrategy.describe(), "migrations.backup.strategy=none");
		}
		try {
			if (DatabaseContents.isEmpty(configuration.getDataSource(), SchemaHistory.schemasOf(configuration),
					this.backupStrategy.backsUpWholeDatabase())) {
				return new BackupDecision(false, this.backupStrategy.describe(),
						"the database is empty: nothing to lose");
			}
		}
		catch (SQLException ex) {
			return new BackupDecision(true, this.backupStrategy.describe(),
					"could not tell whether the database is empty (" + ex.getMessage() + ")");
		}
		return new BackupDecision(true, this.backupStrategy.describe(), "before the first step, inside the lock");
	}

	private static List<LintFinding> findings(LintReport lint, String script) {
		List<LintFinding> findings = new ArrayList<>();
		lint.findings().stream().filter((finding) -> finding.script().equals(script)).forEach(findings::add);
		lint.suppressed().stream().filter((finding) -> finding.script().equals(script)).forEach(findings::add);
		return findings;
	}

	private @Nullable String undo(Configuration configuration, UndoScripts undoScripts, MigrationInfo migration) {
		if (migration.getVersion() == null) {
			return null;
		}
		UndoScripts.UndoScript script = undoScripts.forVersion(migration.getVersion());
		if (script != null) {
			return script.filename();
		}
		UndoableJavaMigration undoable = RollbackPlanner.undoableJavaMigration(configuration, migration);
		return (undoable != null) ? undoable.getClass().getName() : null;
	}

}
