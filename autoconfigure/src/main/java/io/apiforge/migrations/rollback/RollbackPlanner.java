package io.apiforge.migrations.rollback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Checks a rollback before anything is touched, and lists its steps. A rollback to
 * {@code target} undoes every applied versioned migration above it, newest first. It is
 * refused, with every problem listed, when the target is not a version, is not applied or
 * is above the current version; when a version in between has no undo; when a migration
 * in between failed; when a baseline would be undone; or when repeatable migrations were
 * applied after the target (they cannot be undone) unless allowed.
 *
 * @author apiforge
 */
public class RollbackPlanner {

	/** The target that undoes every applied version. */
	public static final String BASE = "base";

	private static final Pattern VERSION = Pattern.compile("\\d+([._]\\d+)*");

	private static final int MAX_TARGET_IN_MESSAGE = 40;

	private final String undoPrefix;

	private final boolean allowRepeatables;

	/**
	 * Create a planner.
	 * @param undoPrefix the prefix of undo scripts
	 * @param allowRepeatables whether repeatable migrations applied after the target may
	 * stay as they are
	 */
	public RollbackPlanner(String undoPrefix, boolean allowRepeatables) {
		Assert.hasText(undoPrefix, "'undoPrefix' must not be empty");
		this.undoPrefix = undoPrefix;
		this.allowRepeatables = allowRepeatables;
	}

	/**
	 * Plan a rollback.
	 * @param flyway the Flyway instance
	 * @param target {@code base} or an applied version
	 * @return the plan, with its problems
	 */
	public RollbackPlan plan(Flyway flyway, String target) {
		MigrationInfoService info = flyway.info();
		MigrationInfo current = info.current();
		String currentVersion = (current != null && current.getVersion() != null) ? current.getVersion().getVersion()
				: null;
		List<String> problems = new ArrayList<>();
		String given = (target != null) ? target.strip() : "";
		if (!BASE.equalsIgnoreCase(given) && !VERSION.matcher(given).matches()) {
			problems.add("The target '" + shorten(given) + "' is neither a version (such as 2 or 1.1) nor 'base'.");
			return new RollbackPlan(currentVersion, shorten(given), List.of(), problems);
		}
		List<MigrationInfo> applied = Arrays.stream(info.applied())
			.filter((migration) -> migration.getVersion() != null && migration.getState().isApplied()
					&& migration.getState() != MigrationState.DELETED && migration.getState() != MigrationState.UNDONE)
			.toList();
		MigrationVersion targetVersion = BASE.equalsIgnoreCase(given) ? null
				: MigrationVersion.fromVersion(given.replace('_', '.'));
		Integer targetRank = null;
		if (targetVersion != null) {
			if (current == null || current.getVersion() == null) {
				problems.add("No version is applied, so there is nothing to roll back to " + given + ".");
			}
			else if (targetVersion.compareTo(current.getVersion()) > 0) {
				problems.add("The target " + given + " is above the current version " + currentVersion
						+ ": a rollback only goes down (migrate goes up).");
			}
			else {
				Optional<MigrationInfo> targetMigration = applied.stream()
					.filter((migration) -> migration.getVersion().equals(targetVersion) && isSuccess(migration))
					.findFirst();
				if (targetMigration.isEmpty()) {
					problems.add("The target " + given + " is not an applied version; applied versions are "
							+ applied.stream()
								.filter(RollbackPlanner::isSuccess)
								.map((migration) -> migration.getVersion().getVersion())
								.collect(Collectors.joining(", "))
							+ " (or 'base').");
				}
				else {
					targetRank = targetMigration.get().getInstalledRank();
				}
			}
		}
		List<MigrationInfo> above = applied.stream()
			.filter((migration) -> targetVersion == null || migration.getVersion().compareTo(targetVersion) > 0)
			.sorted(Comparator.comparing(MigrationInfo::getInstalledRank).reversed())
			.toList();
		UndoScripts scripts = UndoScripts.find(flyway.getConfiguration(), this.undoPrefix);
		List<RollbackStep> steps = new ArrayList<>();
		for (MigrationInfo migration : above) {
			String version = migration.getVersion().getVersion();
			if (!isSuccess(migration)) {
				problems.add("Version " + version + " (" + migration.getScript() + ") is recorded as failed: "
						+ "repair it first (undo what it left by hand, then Flyway repair), then roll back.");
				continue;
			}
			if (migration.getType().isBaseline()) {
				problems.add("Version " + version + " is a baseline, which has nothing to undo: roll back to it or above.");
				continue;
			}
			RollbackStep step = new RollbackStep(version, migration.getDescription(), migration.getScript(),
					scripts.forVersion(migration.getVersion()), undoableJavaMigration(flyway.getConfiguration(), migration.getVersion()),
					(migration.getExecutionTime() != null) ? Duration.ofMillis(migration.getExecutionTime()) : null);
			if (!step.hasUndo()) {
				problems.add("Version " + version + " (" + migration.getScript() + ") has no undo: add "
						+ this.undoPrefix + version.replace('.', '_') + flyway.getConfiguration().getSqlMigrationSeparator()
						+ migration.getDescription().replace(' ', '_') + ".sql beside it"
						+ (migration.getType().name().contains("JDBC") ? ", or implement UndoableJavaMigration" : "")
						+ ".");
			}
			steps.add(step);
		}
		if (!this.allowRepeatables) {
			Integer rank = targetRank;
			List<String> repeatables = Arrays.stream(info.applied())
				.filter((migration) -> migration.getVersion() == null && isSuccess(migration)
						&& (rank == null || migration.getInstalledRank() > rank)
						&& !migration.getType().name().equals("SCHEMA"))
				.map(MigrationInfo::getScript)
				.distinct()
				.toList();
			if (!repeatables.isEmpty() && !steps.isEmpty()) {
				problems.add("Repeatable migrations were applied after the target and cannot be undone: "
						+ String.join(", ", repeatables) + ". Handle what they created in the undo scripts, then set "
						+ "migrations.rollback.allow-repeatables=true.");
			}
		}
		return new RollbackPlan(currentVersion, given, steps, problems);
	}

	/**
	 * Return the Java migration of a version that undoes itself.
	 * @param configuration Flyway's configuration, whose Java migrations are searched
	 * @param version the version
	 * @return the migration, or {@code null} when none of that version undoes itself
	 */
	public static @Nullable UndoableJavaMigration undoableJavaMigration(Configuration configuration,
			MigrationVersion version) {
		for (JavaMigration javaMigration : configuration.getJavaMigrations()) {
			if (javaMigration instanceof UndoableJavaMigration undoable && version.equals(javaMigration.getVersion())) {
				return undoable;
			}
		}
		return null;
	}

	private static boolean isSuccess(MigrationInfo migration) {
		return !migration.getState().isFailed();
	}

	private static String shorten(String target) {
		String printable = target.replaceAll("[^\\p{Print}]", "?");
		return (printable.length() > MAX_TARGET_IN_MESSAGE) ? printable.substring(0, MAX_TARGET_IN_MESSAGE) + "…"
				: printable;
	}

}
