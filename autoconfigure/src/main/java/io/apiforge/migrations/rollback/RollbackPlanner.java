package io.apiforge.migrations.rollback;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
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
import org.springframework.util.ClassUtils;

import io.apiforge.migrations.lint.ExecutableStatement;
import io.apiforge.migrations.rollback.UndoScripts.UndoScript;
import io.apiforge.migrations.scripts.Placeholders;
import io.apiforge.migrations.scripts.UnknownPlaceholderException;

/**
 * Checks a rollback before anything is touched, and lists its steps. A rollback to
 * {@code target} undoes every applied versioned migration above it, newest first. It is
 * refused, with every problem listed, when the target is not a version, is not applied or
 * is above the current version; when a version in between has no undo; when an undo
 * script uses a placeholder without a value, or holds a statement that cannot run in its
 * transaction; when a migration in between failed; when a baseline would be undone; or
 * when repeatable migrations were applied after the target (they cannot be undone)
 * unless allowed.
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
		Configuration configuration = flyway.getConfiguration();
		UndoScripts scripts = UndoScripts.find(configuration, this.undoPrefix);
		Placeholders placeholders = Placeholders.of(configuration);
		ServerVersion serverVersion = new ServerVersion(configuration);
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
			UndoScript undoScript = scripts.forVersion(migration.getVersion());
			String sql = null;
			boolean transactional = true;
			if (undoScript != null) {
				sql = undoSql(version, undoScript, placeholders, problems);
				transactional = checkStatements(version, undoScript, sql, serverVersion, problems);
			}
			RollbackStep step = new RollbackStep(version, migration.getDescription(), migration.getScript(), undoScript,
					undoableJavaMigration(configuration, migration),
					(migration.getExecutionTime() != null) ? Duration.ofMillis(migration.getExecutionTime()) : null, sql,
					transactional);
			if (!step.hasUndo()) {
				problems.add("Version " + version + " (" + migration.getScript() + ") has no undo: add "
						+ this.undoPrefix + version.replace('.', '_') + configuration.getSqlMigrationSeparator()
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
	 * Return the SQL of an undo script as it runs: Flyway's placeholders replaced (unless
	 * its {@code .sql.conf} sets {@code placeholderReplacement=false}). A placeholder
	 * without a value is a problem of the plan, as it would be one of Flyway's.
	 */
	private static String undoSql(String version, UndoScript undoScript, Placeholders placeholders,
			List<String> problems) {
		String written = undoScript.sql();
		if (Boolean.FALSE.equals(undoScript.setting("placeholderReplacement"))) {
			return written;
		}
		try {
			return placeholders.replace(written, undoScript.filename());
		}
		catch (UnknownPlaceholderException ex) {
			problems.add("The undo of version " + version + ": " + ex.getMessage() + " " + ex.getAction());
			return written;
		}
	}

	/**
	 * Check that an undo script can run the way it will: in the step's transaction
	 * unless its {@code .sql.conf} sets {@code executeInTransaction=false}.
	 * @return whether the step runs in a transaction
	 */
	private static boolean checkStatements(String version, UndoScript undoScript, String sql,
			ServerVersion serverVersion, List<String> problems) {
		boolean optedOut = Boolean.FALSE.equals(undoScript.setting("executeInTransaction"));
		List<String> outside = new ArrayList<>();
		for (ExecutableStatement statement : ExecutableStatement.split(sql)) {
			if (statement.isCopyFromStdin()) {
				problems.add("The undo of version " + version + " (" + undoScript.filename() + ") has COPY … FROM STDIN at line "
						+ statement.line() + ", whose data only psql sends: write the rows as INSERT statements.");
			}
			String reason = statement.outsideTransactionReason(serverVersion);
			if (reason != null) {
				outside.add("line " + statement.line() + ": " + reason);
			}
		}
		if (!outside.isEmpty() && !optedOut) {
			problems.add("The undo of version " + version + " (" + undoScript.filename()
					+ ") cannot run in a transaction (" + String.join("; ", outside) + "). An undo runs in one "
					+ "transaction with the deletion of its history row, so that a failure changes nothing: remove "
					+ "the statement (an undo needs no BEGIN or COMMIT, and DROP INDEX without CONCURRENTLY is quick), "
					+ "or run this undo outside a transaction by adding " + undoScript.filename()
					+ ".conf with executeInTransaction=false.");
		}
		return !optedOut && outside.isEmpty();
	}

	/**
	 * Return the Java migration of a version that undoes itself: a bean registered with
	 * Flyway ({@code spring.flyway}'s Java migrations), else the class Flyway found by
	 * scanning its locations, created the way Flyway creates it (with its no-argument
	 * constructor, from the configuration's class loader).
	 * @param configuration Flyway's configuration
	 * @param migration the migration, as Flyway's {@code info()} lists it
	 * @return the migration, or {@code null} when it does not undo itself
	 */
	public static @Nullable UndoableJavaMigration undoableJavaMigration(Configuration configuration,
			MigrationInfo migration) {
		MigrationVersion version = migration.getVersion();
		if (version == null) {
			return null;
		}
		for (JavaMigration javaMigration : configuration.getJavaMigrations()) {
			if (version.equals(javaMigration.getVersion())) {
				return (javaMigration instanceof UndoableJavaMigration undoable) ? undoable : null;
			}
		}
		if (!migration.getType().name().contains("JDBC") || !migration.getState().isResolved()) {
			return null;
		}
		// Flyway names a Java migration by its class, and scans its locations with the
		// configuration's class loader.
		Class<?> type;
		try {
			type = ClassUtils.forName(migration.getScript(), configuration.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
		if (!UndoableJavaMigration.class.isAssignableFrom(type)) {
			return null;
		}
		try {
			return (UndoableJavaMigration) type.getDeclaredConstructor().newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not create " + type.getName()
					+ " to undo version " + version + " (Flyway creates it with its no-argument constructor): "
					+ ex.getMessage(), ex);
		}
	}

	private static boolean isSuccess(MigrationInfo migration) {
		return !migration.getState().isFailed();
	}

	/**
	 * The server's major version, read once, and only when a statement's fate depends
	 * on it ({@code ALTER TYPE … ADD VALUE}).
	 */
	private static final class ServerVersion implements IntSupplier {

		private final Configuration configuration;

		private int major = -1;

		ServerVersion(Configuration configuration) {
			this.configuration = configuration;
		}

		@Override
		public int getAsInt() {
			if (this.major < 0) {
				try (Connection connection = this.configuration.getDataSource().getConnection()) {
					this.major = connection.getMetaData().getDatabaseMajorVersion();
				}
				catch (SQLException ex) {
					throw new IllegalStateException("Could not read the PostgreSQL version: " + ex.getMessage(), ex);
				}
			}
			return this.major;
		}

	}

	private static String shorten(String target) {
		String printable = target.replaceAll("[^\\p{Print}]", "?");
		return (printable.length() > MAX_TARGET_IN_MESSAGE) ? printable.substring(0, MAX_TARGET_IN_MESSAGE) + "…"
				: printable;
	}

}
