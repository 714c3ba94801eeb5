package io.apiforge.migrations.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.fingerprint.FingerprintDifference;
import io.apiforge.migrations.fingerprint.SchemaFingerprint;
import io.apiforge.migrations.rollback.RollbackPlan;
import io.apiforge.migrations.rollback.RollbackPlanner;
import io.apiforge.migrations.rollback.RollbackStep;
import io.apiforge.migrations.rollback.UndoStepExecutor;

/**
 * The round trip of every version that has an undo, on a database of its own: migrate to
 * the version and take the fingerprint, undo it and compare with the fingerprint of the
 * version before, migrate it again and compare with the first. Stops at the first
 * version that fails, since what comes after would be built on a wrong schema.
 *
 * @author apiforge
 */
final class RoundTrip {

	private final TemplateDatabase template;

	private final MigrationsSetup setup;

	RoundTrip(TemplateDatabase template) {
		this.template = template;
		this.setup = template.setup();
	}

	/**
	 * Run the round trip.
	 * @return the versions that round-tripped
	 * @throws AssertionFailedError when a version does not, naming it, the step and what
	 * differs
	 */
	List<String> check() {
		String database = this.template.createEmpty();
		try {
			return check(Databases.dataSource(this.template.server(), database));
		}
		finally {
			Databases.drop(this.template.server(), database);
		}
	}

	private List<String> check(DataSource dataSource) {
		List<MigrationInfo> versions = versions(this.setup.flyway(dataSource, null));
		List<String> roundTripped = new ArrayList<>();
		UndoStepExecutor executor = new UndoStepExecutor();
		RollbackPlanner planner = new RollbackPlanner(this.setup.undoPrefix(), true);
		SchemaFingerprint before = fingerprint(dataSource);
		String previous = null;
		for (MigrationInfo migration : versions) {
			String version = migration.getVersion().getVersion();
			Flyway flyway = this.setup.flyway(dataSource, version);
			flyway.migrate();
			SchemaFingerprint migrated = fingerprint(dataSource);
			RollbackPlan plan = planner.plan(flyway, (previous != null) ? previous : RollbackPlanner.BASE);
			RollbackStep step = plan.steps().stream().filter((candidate) -> candidate.version().equals(version))
				.findFirst()
				.orElse(null);
			if (step != null && step.hasUndo()) {
				String where = "Round trip of version " + version + " (" + migration.getScript() + ")";
				if (!plan.isPossible()) {
					throw new AssertionFailedError(where + " failed before the undo (" + step.undo()
							+ "): the rollback to " + describe(previous) + " is refused: "
							+ String.join(" ", plan.problems()) + roundTripped(roundTripped));
				}
				try {
					executor.undo(flyway.getConfiguration(), step);
				}
				catch (MigrationsException ex) {
					throw new AssertionFailedError(where + " failed at the undo: " + ex.getMessage() + " "
							+ ex.getAction() + roundTripped(roundTripped), ex);
				}
				SchemaFingerprint undone = fingerprint(dataSource);
				FingerprintDifference undo = FingerprintDifference.compare(before, undone);
				if (!undo.isEmpty()) {
					throw new AssertionFailedError(where + " failed at the undo (" + step.undo()
							+ "): the schema after it is not the schema of " + describe(previous) + ":\n"
							+ indent(undo.describe()) + "\n(added: left behind by the undo; removed: dropped by the undo, "
							+ "though " + describe(previous) + " has it; changed: stored is " + describe(previous)
							+ "'s definition, live what the undo left.) Fix " + step.undo()
							+ " so that it reverses everything " + migration.getScript() + " does."
							+ roundTripped(roundTripped), before.toJson(), undone.toJson());
				}
				try {
					flyway.migrate();
				}
				catch (FlywayException ex) {
					throw new AssertionFailedError(where + " failed at the redo: " + migration.getScript()
							+ " could not run again after " + step.undo() + ": " + ex.getMessage()
							+ "\nThe undo leaves something that stops the migration from running again: fix "
							+ step.undo() + "." + roundTripped(roundTripped), ex);
				}
				SchemaFingerprint redone = fingerprint(dataSource);
				FingerprintDifference redo = FingerprintDifference.compare(migrated, redone);
				if (!redo.isEmpty()) {
					throw new AssertionFailedError(where + " failed at the redo: after " + step.undo() + " and "
							+ migration.getScript() + " again, the schema is not what " + migration.getScript()
							+ " made the first time:\n" + indent(redo.describe())
							+ "\n(stored: version " + version + " as first migrated; live: after the undo and the "
							+ "redo.) Fix " + step.undo() + " so that it reverses everything " + migration.getScript()
							+ " does, and nothing else." + roundTripped(roundTripped), migrated.toJson(),
							redone.toJson());
				}
				roundTripped.add(version);
			}
			before = migrated;
			previous = version;
		}
		if (roundTripped.isEmpty()) {
			throw new AssertionFailedError("No version in " + this.setup.describeLocations() + " has an undo ("
					+ this.setup.undoPrefix() + "<version>__<description>.sql beside its V script, or an "
					+ "UndoableJavaMigration), so there is no round trip to check. Versions found: "
					+ String.join(", ", versions.stream().map((migration) -> migration.getVersion().getVersion()).toList())
					+ ". Check the locations and the undo prefix given to MigrationsExtension.");
		}
		return roundTripped;
	}

	private static List<MigrationInfo> versions(Flyway flyway) {
		return Arrays.stream(flyway.info().all())
			.filter((migration) -> migration.getVersion() != null && !migration.getType().isBaseline())
			.sorted((a, b) -> a.getVersion().compareTo(b.getVersion()))
			.filter(distinct())
			.toList();
	}

	private static Predicate<MigrationInfo> distinct() {
		List<MigrationVersion> seen = new ArrayList<>();
		return (migration) -> {
			if (seen.contains(migration.getVersion())) {
				return false;
			}
			seen.add(migration.getVersion());
			return true;
		};
	}

	private SchemaFingerprint fingerprint(DataSource dataSource) {
		return this.setup.fingerprint(dataSource);
	}

	private static String describe(@Nullable String version) {
		return (version != null) ? "version " + version : "the empty database";
	}

	private static String indent(String lines) {
		return "  " + lines.replace("\n", "\n  ");
	}

	private static String roundTripped(List<String> versions) {
		return versions.isEmpty() ? "" : "\nRound-tripped before it: " + String.join(", ", versions) + ".";
	}

}
