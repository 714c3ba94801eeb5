package io.apiforge.migrations.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

import io.apiforge.migrations.InvalidRequestException;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.backup.BackupCatalog;
import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.lint.LintFailOn;
import io.apiforge.migrations.lint.LintFinding;
import io.apiforge.migrations.lint.LintReport;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.plan.MigrationPlan;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.SchemaSnapshot;

/**
 * The {@code migrations} endpoint. Reads of the summary serve the cached status
 * (refreshed from the history table at most every
 * {@code migrations.status.refresh-interval}), never Flyway's classpath scan; a plan
 * ({@code /plan}) asks Flyway, on request. Writes ({@code operation=migrate},
 * {@code backup}, {@code rollback}) exist only when
 * {@code management.endpoint.migrations.access=unrestricted}, and then need a user in
 * the configured role.
 *
 * @author apiforge
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

	private static final String PLAN = "plan";

	private final MigrationStatusRefresher status;

	private final BackupCatalog backups;

	private final MigrationOperations operations;

	private final @Nullable String writeRole;

	/**
	 * Create the endpoint.
	 * @param status the status, kept fresh
	 * @param backups the backups that exist
	 * @param operations what plans and the write operations run
	 * @param writeRole the role a user needs for write operations, or {@code null} to
	 * let anyone who can reach them use them
	 */
	public MigrationsEndpoint(MigrationStatusRefresher status, BackupCatalog backups, MigrationOperations operations,
			@Nullable String writeRole) {
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(backups, "'backups' must not be null");
		Assert.notNull(operations, "'operations' must not be null");
		this.status = status;
		this.backups = backups;
		this.operations = operations;
		this.writeRole = StringUtils.hasText(writeRole) ? writeRole : null;
	}

	@ReadOperation
	public MigrationsDescriptor migrations() {
		MigrationStatus status = this.status.current();
		SchemaSnapshot schema = status.schema();
		return new MigrationsDescriptor(schema.state().name(), schema.currentVersion(), schema.expectedVersion(),
				new CountsDescriptor(schema.applied().size(), schema.pending().size(), schema.failed().size()),
				schema.inspectedAt().toString(), migrations(schema.pending()), migrations(schema.failed()),
				migrations(schema.applied()), (status.lastRun() != null) ? RunDescriptor.of(status.lastRun()) : null,
				backups(status), lint(schema));
	}

	/**
	 * One migration with its SQL, or, for {@code plan}, what a migrate (or a rollback to
	 * {@code target}) would do.
	 * @param version a version, or {@code plan}
	 * @param target for {@code plan}: the version to plan a rollback to, or {@code null}
	 * to plan a migrate
	 * @return the migration or the plan, or {@code null} (404) for an unknown version
	 */
	@ReadOperation
	public @Nullable OperationResponseBody migration(@Selector String version, @Nullable String target) {
		if (PLAN.equals(version)) {
			return new PlanDescriptor(this.operations.plan(target));
		}
		SchemaSnapshot schema = this.status.current().schema();
		return Stream.of(schema.applied(), schema.pending(), schema.failed())
			.flatMap(List::stream)
			.filter((migration) -> version.equals(migration.version()))
			.findFirst()
			.map((migration) -> new MigrationDetailDescriptor(MigrationDescriptor.of(migration),
					"SQL".equals(migration.type()) ? this.operations.readScript(migration.script()) : null))
			.orElse(null);
	}

	/**
	 * Run an operation: {@code migrate}, {@code backup}, or {@code rollback} to
	 * {@code target}.
	 * @param operation the operation
	 * @param target the version to roll back to ({@code rollback} only)
	 * @param securityContext who asks
	 * @return the run or the backup, or what went wrong
	 */
	@WriteOperation
	public WebEndpointResponse<Object> operate(String operation, @Nullable String target,
			SecurityContext securityContext) {
		if (this.writeRole != null && !securityContext.isUserInRole(this.writeRole)) {
			int status = (securityContext.getPrincipal() != null) ? 403
					: 401;
			return new WebEndpointResponse<>(new ErrorDescriptor("Write operations need a user in role "
					+ this.writeRole + " (migrations.endpoint.write-role)", null), status);
		}
		try {
			return switch (operation) {
				case "migrate" -> new WebEndpointResponse<>(RunDescriptor.of(this.operations.migrate()));
				case "backup" -> new WebEndpointResponse<>(BackupDescriptor.of(this.operations.backup()));
				case "rollback" -> (target != null)
						? new WebEndpointResponse<>(RunDescriptor.of(this.operations.rollback(target)))
						: new WebEndpointResponse<>(new ErrorDescriptor("operation=rollback needs a target",
								"Add target=<version> (or target=base); GET /actuator/migrations/plan?target=<version> shows what it would do."),
								WebEndpointResponse.STATUS_BAD_REQUEST);
				default -> new WebEndpointResponse<>(new ErrorDescriptor(
						"Unknown operation '" + shorten(operation) + "'",
						"Use operation=migrate, operation=backup or operation=rollback with a target."),
						WebEndpointResponse.STATUS_BAD_REQUEST);
			};
		}
		catch (InvalidRequestException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (MigrationsException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	private static String shorten(String value) {
		String printable = value.replaceAll("[^\\p{Print}]", "?");
		return (printable.length() > 40) ? printable.substring(0, 40) + "…" : printable;
	}

	private List<BackupDescriptor> backups(MigrationStatus status) {
		List<BackupRecord> backups = new ArrayList<>(this.backups.list());
		BackupRecord last = status.lastBackup();
		if (last != null && backups.stream().noneMatch((backup) -> backup.location().equals(last.location()))) {
			backups.add(0, last);
		}
		return backups.stream().map(BackupDescriptor::of).toList();
	}

	private @Nullable LintDescriptor lint(SchemaSnapshot schema) {
		LintReport report = this.operations.lastLintReport();
		LintFailOn failOn = this.operations.lintFailOn();
		if (report == null || failOn == null) {
			return null;
		}
		LintReport pending = report.onlyFor(schema.pending().stream().map(MigrationSummary::script).toList());
		return new LintDescriptor(failOn.name().toLowerCase(Locale.ROOT), findings(pending.findings()),
				findings(pending.suppressed()));
	}

	private static List<FindingDescriptor> findings(List<LintFinding> findings) {
		return findings.stream().map(FindingDescriptor::of).toList();
	}

	private static List<MigrationDescriptor> migrations(List<MigrationSummary> migrations) {
		return migrations.stream().map(MigrationDescriptor::of).toList();
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

	private static @Nullable Long millis(@Nullable Duration duration) {
		return (duration != null) ? duration.toMillis() : null;
	}

	/**
	 * The endpoint's summary: where the schema is, then the detail.
	 *
	 * @param status one of {@code UNKNOWN}, {@code NOT_INITIALIZED}, {@code PENDING},
	 * {@code UP_TO_DATE}, {@code AHEAD}, {@code FAILED}
	 * @param currentVersion the highest applied version
	 * @param expectedVersion the highest version the application ships
	 * @param counts how many migrations are applied, pending and failed
	 * @param inspectedAt when the status was last read from the database
	 * @param pending the pending migrations, in order
	 * @param failed the failed migrations
	 * @param applied the applied migrations, in the order applied
	 * @param lastRun the last run of the lifecycle in this application
	 * @param backups the backups, latest first
	 * @param lint the lint findings of the pending migrations, absent when the lint is
	 * off or has not run
	 */
	public record MigrationsDescriptor(String status, @Nullable String currentVersion, @Nullable String expectedVersion,
			CountsDescriptor counts, String inspectedAt, List<MigrationDescriptor> pending,
			List<MigrationDescriptor> failed, List<MigrationDescriptor> applied, @Nullable RunDescriptor lastRun,
			List<BackupDescriptor> backups, @Nullable LintDescriptor lint) implements OperationResponseBody {
	}

	/**
	 * The lint findings of the pending migrations.
	 *
	 * @param failOn the lowest severity that stops the lifecycle
	 * ({@code migrations.lint.fail-on})
	 * @param findings the findings that count
	 * @param suppressed the findings a {@code -- migrations:allow} comment suppresses
	 */
	public record LintDescriptor(String failOn, List<FindingDescriptor> findings, List<FindingDescriptor> suppressed) {
	}

	/**
	 * One lint finding.
	 *
	 * @param rule the rule's id
	 * @param severity {@code warning} or {@code error}
	 * @param script the migration's script
	 * @param line the statement's line in the script
	 * @param message what is wrong
	 * @param recipe how to do it safely
	 * @param statement the statement, shortened
	 * @param reason the reason given for allowing it, when suppressed
	 */
	public record FindingDescriptor(String rule, String severity, String script, int line, String message,
			String recipe, String statement, @Nullable String reason) {

		static FindingDescriptor of(LintFinding finding) {
			return new FindingDescriptor(finding.rule(), finding.severity().id(), finding.script(), finding.line(),
					finding.message(), finding.recipe(), finding.statement(), finding.suppressedBecause());
		}

	}

	/**
	 * Counts of migrations.
	 *
	 * @param applied applied migrations
	 * @param pending pending migrations
	 * @param failed failed migrations
	 */
	public record CountsDescriptor(int applied, int pending, int failed) {
	}

	/**
	 * One migration.
	 *
	 * @param version its version ({@code null} for a repeatable migration)
	 * @param description its description
	 * @param script its script or class
	 * @param type Flyway's type ({@code SQL}, {@code JDBC}, …)
	 * @param state Flyway's state ({@code SUCCESS}, {@code PENDING}, …)
	 * @param checksum its checksum
	 * @param installedOn when it was applied
	 * @param installedBy who applied it
	 * @param executionTimeMillis how long it took
	 * @param success whether it succeeded ({@code null} when not applied)
	 */
	public record MigrationDescriptor(@Nullable String version, String description, String script, String type,
			String state, @Nullable Integer checksum, @Nullable String installedOn, @Nullable String installedBy,
			@Nullable Long executionTimeMillis, @Nullable Boolean success) {

		static MigrationDescriptor of(MigrationSummary migration) {
			Boolean success = (migration.installedOn() != null) ? !migration.state().contains("FAILED") : null;
			return new MigrationDescriptor(migration.version(), migration.description(), migration.script(),
					migration.type(), migration.state(), migration.checksum(), text(migration.installedOn()),
					migration.installedBy(), millis(migration.executionTime()), success);
		}

	}

	/**
	 * One migration with its SQL.
	 *
	 * @param migration the migration
	 * @param sql its SQL, for a SQL migration whose script is found
	 */
	public record MigrationDetailDescriptor(MigrationDescriptor migration, @Nullable String sql)
			implements OperationResponseBody {
	}

	/**
	 * A run of an operation.
	 *
	 * @param operation {@code MIGRATE}, {@code VALIDATE}, {@code ROLLBACK} or
	 * {@code BACKUP}
	 * @param startedAt when it started
	 * @param finishedAt when it ended
	 * @param durationMillis how long it took
	 * @param outcome {@code MIGRATED}, {@code UP_TO_DATE}, {@code VALIDATED},
	 * {@code ROLLED_BACK}, {@code BACKED_UP}, {@code REFUSED} (nothing was changed) or
	 * {@code FAILED}
	 * @param fromVersion the version before
	 * @param toVersion the version after
	 * @param migrationsExecuted the migrations it applied
	 * @param lockWaitMillis how long it waited for the lock
	 * @param backup the backup it took
	 * @param error what went wrong
	 */
	public record RunDescriptor(String operation, String startedAt, String finishedAt, long durationMillis, String outcome,
			@Nullable String fromVersion, @Nullable String toVersion, List<MigrationDescriptor> migrationsExecuted,
			@Nullable Long lockWaitMillis, @Nullable BackupDescriptor backup, @Nullable String error)
			implements OperationResponseBody {

		static RunDescriptor of(MigrationRun run) {
			return new RunDescriptor(run.operation().name(), run.startedAt().toString(), run.finishedAt().toString(), run.duration().toMillis(),
					run.outcome().name(), run.fromVersion(), run.toVersion(), migrations(run.executed()),
					millis(run.lockWait()), (run.backup() != null) ? BackupDescriptor.of(run.backup()) : null,
					run.error());
		}

	}

	/**
	 * A backup.
	 *
	 * @param file where it is
	 * @param strategy the strategy that took it
	 * @param created when it was complete
	 * @param sizeBytes its size ({@code -1} when unknown)
	 * @param durationMillis how long it took
	 * @param fromVersion the version it holds
	 * @param toVersion the version of the migration that followed
	 * @param verified whether it was verified readable
	 */
	public record BackupDescriptor(String file, String strategy, String created, long sizeBytes, long durationMillis,
			@Nullable String fromVersion, @Nullable String toVersion, boolean verified) implements OperationResponseBody {

		static BackupDescriptor of(BackupRecord backup) {
			return new BackupDescriptor(backup.location(), backup.strategy(), backup.createdAt().toString(),
					backup.sizeBytes(), backup.duration().toMillis(), backup.fromVersion(), backup.toVersion(),
					backup.verified());
		}

	}

	/**
	 * A plan: what a migrate or a rollback would do.
	 *
	 * @param plan the plan
	 */
	public record PlanDescriptor(MigrationPlan plan) implements OperationResponseBody {
	}

	/**
	 * A refused or failed write operation.
	 *
	 * @param error what happened
	 * @param action what to do about it
	 */
	public record ErrorDescriptor(String error, @Nullable String action) implements OperationResponseBody {
	}

}
