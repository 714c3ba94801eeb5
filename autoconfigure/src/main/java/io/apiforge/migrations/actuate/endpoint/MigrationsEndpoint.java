package io.apiforge.migrations.actuate.endpoint;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
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
import io.apiforge.migrations.drift.DriftReport;
import io.apiforge.migrations.drift.StoredFingerprint;
import io.apiforge.migrations.fingerprint.ObjectDifference;
import io.apiforge.migrations.fingerprint.Severity;
import io.apiforge.migrations.lint.LintFailOn;
import io.apiforge.migrations.lint.LintFinding;
import io.apiforge.migrations.lint.LintReport;
import io.apiforge.migrations.operations.ContractMigrations;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.plan.MigrationPlan;
import io.apiforge.migrations.plan.MigrationPlan.BackupDecision;
import io.apiforge.migrations.plan.MigrationPlan.Step;
import io.apiforge.migrations.replicas.ReplicaRegistry;
import io.apiforge.migrations.status.BackfillProgress;
import io.apiforge.migrations.status.MigrationRun;
import io.apiforge.migrations.status.MigrationStatus;
import io.apiforge.migrations.status.MigrationStatusRefresher;
import io.apiforge.migrations.status.MigrationSummary;
import io.apiforge.migrations.status.RunningOperation;
import io.apiforge.migrations.status.SchemaHistoryPage;
import io.apiforge.migrations.status.SchemaSnapshot;
import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatus;
import io.apiforge.migrations.tenants.TenantStatusPage;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * The {@code migrations} endpoint. Reads of the summary serve the cached status
 * (refreshed from the history table at most every
 * {@code migrations.status.refresh-interval}), never Flyway's classpath scan, and stay
 * small however long the history grows: lists are cut to their first few entries next
 * to their counts. The history itself is served a page at a time ({@code /history}),
 * read from the history table on request. A plan ({@code /plan}) is the one read that
 * costs a Flyway inspection (a classpath scan, the history, the lint and the catalog),
 * on every request. Writes ({@code operation=migrate}, {@code backup},
 * {@code rollback}, and accepting a drifted schema) exist only when
 * {@code management.endpoint.migrations.access=unrestricted}, and then need a user in
 * the configured role.
 * <p>
 * SQL (of a migration, of a plan's steps, and the statements lint findings quote) is
 * shown the way Spring Boot shows the values of {@code /env}: never, to a user in one
 * of the roles, or always ({@code management.endpoint.migrations.show-sql} and
 * {@code roles}); a hidden script reads {@code null} and a hidden statement
 * {@value #HIDDEN}. The definitions of drifted objects are SQL too: hidden, an object
 * shows its kind, identity and change only.
 * <p>
 * {@code /drift} compares the live schema with the stored reference of its version on
 * request, under the migration lock without waiting for it ({@code SKIPPED} while a
 * migration holds it); a {@code POST} to it with {@code {"accept": true}} stores the live
 * schema as the new reference, recorded with the user's name.
 * <p>
 * With tenants, {@code /tenants} serves the number of tenants in each state and a page
 * of them in name order, filtered by state, and {@code /tenants/{tenant}} one tenant,
 * both from the in-memory {@code TenantStatuses}: no query, at a cost that grows with
 * the tenants in memory, never with the database.
 *
 * @author apiforge
 */
@Endpoint(id = "migrations", defaultAccess = Access.READ_ONLY)
public class MigrationsEndpoint {

	private static final String PLAN = "plan";

	private static final String HISTORY = "history";

	private static final String BACKUPS = "backups";

	private static final String DRIFT = "drift";

	private static final String TENANTS = "tenants";

	private static final String REPLICAS = "replicas";

	private static final String CONTRACT = "contract";

	/**
	 * Where Flyway's description of a failed statement quotes its SQL: the last field, to
	 * the end of the message.
	 */
	private static final Pattern STATEMENT = Pattern.compile("(?ms)^(\\s*Statement\\s*:).*");

	/** Who accepts a drifted schema when no user is authenticated. */
	static final String ANONYMOUS = "anonymous";

	/** What a lint finding's statement reads when SQL is not shown. */
	static final String HIDDEN = "******";

	/** How many pending, failed or executed migrations (and lint findings) the summary lists. */
	static final int SUMMARY_LIST_LIMIT = 10;

	/** How many backups, newest first, the summary lists. */
	static final int SUMMARY_BACKUP_LIMIT = 5;

	/** The size of a history page when none is asked for. */
	static final int DEFAULT_PAGE_SIZE = 20;

	/** The largest history page. */
	static final int MAX_PAGE_SIZE = 100;

	private final MigrationStatusRefresher status;

	private final BackupCatalog backups;

	private final MigrationOperations operations;

	private final @Nullable String writeRole;

	private final Show showSql;

	private final Set<String> roles;

	private final @Nullable TenantStatuses tenants;

	private final @Nullable ReplicaRegistry replicas;

	private final @Nullable ContractMigrations contract;

	/**
	 * Create the endpoint of an application without tenants.
	 * @param status the status, kept fresh
	 * @param backups the backups that exist
	 * @param operations what plans and the write operations run
	 * @param writeRole the role a user needs for write operations, or {@code null} to
	 * let anyone who can reach them use them
	 * @param showSql when to show SQL
	 * @param roles the roles that may see SQL when {@code showSql} is
	 * {@link Show#WHEN_AUTHORIZED}; empty for any authenticated user
	 */
	public MigrationsEndpoint(MigrationStatusRefresher status, BackupCatalog backups, MigrationOperations operations,
			@Nullable String writeRole, Show showSql, Set<String> roles) {
		this(status, backups, operations, writeRole, showSql, roles, null, null);
	}

	/**
	 * Create the endpoint.
	 * @param status the status, kept fresh
	 * @param backups the backups that exist
	 * @param operations what plans and the write operations run
	 * @param writeRole the role a user needs for write operations, or {@code null} to
	 * let anyone who can reach them use them
	 * @param showSql when to show SQL
	 * @param roles the roles that may see SQL when {@code showSql} is
	 * {@link Show#WHEN_AUTHORIZED}; empty for any authenticated user
	 * @param tenants the tenants' statuses, or {@code null} when tenants are not
	 * configured
	 * @param replicas the replica registry, or {@code null} when this instance does not
	 * register
	 */
	public MigrationsEndpoint(MigrationStatusRefresher status, BackupCatalog backups, MigrationOperations operations,
			@Nullable String writeRole, Show showSql, Set<String> roles, @Nullable TenantStatuses tenants,
			@Nullable ReplicaRegistry replicas) {
		this(status, backups, operations, writeRole, showSql, roles, tenants, replicas, null);
	}

	/**
	 * Create the endpoint.
	 * @param status the status, kept fresh
	 * @param backups the backups that exist
	 * @param operations what plans and the write operations run
	 * @param writeRole the role a user needs for write operations, or {@code null} to
	 * let anyone who can reach them use them
	 * @param showSql when to show SQL
	 * @param roles the roles that may see SQL when {@code showSql} is
	 * {@link Show#WHEN_AUTHORIZED}; empty for any authenticated user
	 * @param tenants the tenants' statuses, or {@code null} when tenants are not
	 * configured
	 * @param replicas the replica registry, or {@code null} when this instance does not
	 * register
	 * @param contract the contract migrations, or {@code null} when they are off
	 */
	public MigrationsEndpoint(MigrationStatusRefresher status, BackupCatalog backups, MigrationOperations operations,
			@Nullable String writeRole, Show showSql, Set<String> roles, @Nullable TenantStatuses tenants,
			@Nullable ReplicaRegistry replicas, @Nullable ContractMigrations contract) {
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(backups, "'backups' must not be null");
		Assert.notNull(operations, "'operations' must not be null");
		Assert.notNull(showSql, "'showSql' must not be null");
		Assert.notNull(roles, "'roles' must not be null");
		this.status = status;
		this.backups = backups;
		this.operations = operations;
		this.writeRole = StringUtils.hasText(writeRole) ? writeRole : null;
		this.showSql = showSql;
		this.roles = Set.copyOf(roles);
		this.tenants = tenants;
		this.replicas = replicas;
		this.contract = contract;
	}

	/**
	 * The summary: where the schema is, the first few pending and failed migrations, the
	 * last run and the newest backups, with the counts. Its size does not grow with the
	 * history, which {@code /history} serves.
	 * @param securityContext who asks: whether lint findings quote their statements
	 * @return the summary
	 */
	@ReadOperation
	public MigrationsDescriptor migrations(SecurityContext securityContext) {
		MigrationStatus status = this.status.current();
		SchemaSnapshot schema = status.schema();
		List<BackupDescriptor> backups = backups(status);
		return new MigrationsDescriptor(schema.state().name(), schema.currentVersion(), schema.expectedVersion(),
				new CountsDescriptor(schema.applied().size(), schema.pending().size(), schema.failed().size(),
						backups.size()),
				schema.inspectedAt().toString(), migrations(first(schema.pending(), SUMMARY_LIST_LIMIT)),
				migrations(first(schema.failed(), SUMMARY_LIST_LIMIT)),
				(status.lastRun() != null) ? RunDescriptor.of(status.lastRun(), SUMMARY_LIST_LIMIT) : null,
				first(backups, SUMMARY_BACKUP_LIMIT), lint(schema, isSqlShown(securityContext)),
				RunningDescriptor.of(this.status.running()),
				(this.contract != null) ? ContractDescriptor.of(this.contract.status()) : null);
	}

	private boolean isSqlShown(SecurityContext securityContext) {
		return this.showSql.isShown(securityContext, this.roles);
	}

	/**
	 * One migration with its SQL; or, for {@code plan}, what a migrate (or a rollback to
	 * {@code target}) would do; for {@code history}, one page of the schema history,
	 * newest first; for {@code backups}, every backup; for {@code drift}, the live schema
	 * compared with the stored reference of its version; for {@code tenants}, the number
	 * of tenants in each state and one page of them, in name order; for {@code replicas},
	 * the instances in the replica registry; for {@code contract}, the contract
	 * migrations' state.
	 * @param version a version, or {@code plan}, {@code history}, {@code backups},
	 * {@code drift}, {@code tenants}, {@code replicas} or {@code contract}
	 * @param target for {@code plan}: the version to plan a rollback to, or {@code null}
	 * to plan a migrate
	 * @param page for {@code history} and {@code tenants}: the page, from 0, or
	 * {@code null} for 0
	 * @param size for {@code history} and {@code tenants}: how many rows a page holds,
	 * from 1 to {@value #MAX_PAGE_SIZE}, or {@code null} for {@value #DEFAULT_PAGE_SIZE}
	 * @param state for {@code tenants}: only the tenants in this state (in any case), or
	 * {@code null} for all
	 * @param securityContext who asks: whether SQL is shown
	 * @return the migration, the plan, the page or the backups; 404 for an unknown
	 * version and for tenants when none are configured, 400 for a page or size out of
	 * range, an unknown state or a target that is not a version
	 */
	@ReadOperation
	public WebEndpointResponse<Object> migration(@Selector String version, @Nullable String target,
			@Nullable String page, @Nullable String size, @Nullable String state, SecurityContext securityContext) {
		boolean showSql = isSqlShown(securityContext);
		return switch (version) {
			case PLAN -> plan(target, showSql);
			case HISTORY -> history(page, size);
			case TENANTS -> tenants(state, page, size, showSql);
			case BACKUPS -> new WebEndpointResponse<>(new BackupsDescriptor(backups(this.status.current())));
			case DRIFT -> drift(showSql);
			case REPLICAS -> replicas();
			case CONTRACT -> (this.contract != null)
					? new WebEndpointResponse<>(ContractDescriptor.of(this.contract.status())) : contractOff();
			default -> {
				MigrationDetailDescriptor migration = migration(version, showSql);
				yield (migration != null) ? new WebEndpointResponse<>(migration)
						: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
			}
		};
	}

	private @Nullable MigrationDetailDescriptor migration(String version, boolean showSql) {
		SchemaSnapshot schema = this.status.current().schema();
		return Stream.of(schema.applied(), schema.pending(), schema.failed())
			.flatMap(List::stream)
			.filter((migration) -> version.equals(migration.version()))
			.findFirst()
			.map((migration) -> new MigrationDetailDescriptor(MigrationDescriptor.of(migration),
					(showSql && "SQL".equals(migration.type())) ? this.operations.readScript(migration.script())
							: null))
			.orElse(null);
	}

	/**
	 * A plan, computed on request: unlike the summary, it asks Flyway (a classpath scan
	 * and the history), the lint and the catalog every time.
	 */
	private WebEndpointResponse<Object> plan(@Nullable String target, boolean showSql) {
		try {
			return new WebEndpointResponse<>(PlanDescriptor.of(this.operations.plan(target), showSql));
		}
		catch (InvalidRequestException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (MigrationsException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
		catch (IllegalStateException ex) {
			// The lint and the empty-database check read the catalog: a plan cannot be
			// told without it, where start-up (with fail-on=none) goes on without the lint.
			return new WebEndpointResponse<>(new ErrorDescriptor("The plan could not be computed: " + ex.getMessage(),
					"Check that the database is reachable (GET /actuator/health) and ask again."),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * A page of the history, read from the history table itself rather than from the
	 * cached status: the status's refresh does not carry the applied detail, and one
	 * query along the table's primary key is cheap at any length.
	 */
	private WebEndpointResponse<Object> history(@Nullable String page, @Nullable String size) {
		Paging paging = Paging.of(page, size, "the newest migrations");
		if (paging.refused() != null) {
			return paging.refused();
		}
		try {
			SchemaHistoryPage history = this.operations.history(paging.page(), paging.size());
			return new WebEndpointResponse<>(new HistoryDescriptor(migrations(history.content()), history.page(),
					history.size(), history.totalElements(), history.totalPages()));
		}
		catch (MigrationsException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * A page and a size asked for, or the 400 that refuses them, the same for every
	 * paged resource.
	 */
	private record Paging(int page, int size, @Nullable WebEndpointResponse<Object> refused) {

		/**
		 * Read the page and the size.
		 * @param page the page asked for, or {@code null} for 0
		 * @param size the size asked for, or {@code null} for the default
		 * @param firstPage what the first page holds, for the answer to a bad page
		 */
		static Paging of(@Nullable String page, @Nullable String size, String firstPage) {
			Integer pageNumber = wholeNumber(page, 0, 0, Integer.MAX_VALUE);
			if (pageNumber == null) {
				return refused(badRequest(
						"Parameter 'page' must be a whole number, 0 or more, but was '" + shorten(page) + "'",
						"Use page=0 for " + firstPage + "; totalPages in the response says how many pages there are."));
			}
			Integer pageSize = wholeNumber(size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
			if (pageSize == null) {
				return refused(badRequest("Parameter 'size' must be a whole number from 1 to " + MAX_PAGE_SIZE
						+ ", but was '" + shorten(size) + "'", "Leave size out for pages of " + DEFAULT_PAGE_SIZE
								+ ", or ask for up to " + MAX_PAGE_SIZE + " and page through with page=."));
			}
			return new Paging(pageNumber, pageSize, null);
		}

		private static Paging refused(WebEndpointResponse<Object> response) {
			return new Paging(0, 0, response);
		}

	}

	/**
	 * The tenants: how many are in each state, and one page of them in name order, from
	 * the registry in memory.
	 */
	private WebEndpointResponse<Object> tenants(@Nullable String state, @Nullable String page, @Nullable String size,
			boolean showSql) {
		TenantStatuses tenants = this.tenants;
		if (tenants == null) {
			return tenantsOff();
		}
		TenantState filter = null;
		if (StringUtils.hasText(state)) {
			String valid = Arrays.stream(TenantState.values())
				.map(TenantState::name)
				.collect(Collectors.joining(", "));
			try {
				filter = TenantState.valueOf(state.strip().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				return badRequest("Parameter 'state' must be one of " + valid + ", but was '" + shorten(state) + "'",
						"Leave state out for every tenant, or use one of the states (in any case), such as state=FAILED.");
			}
		}
		Paging paging = Paging.of(page, size, "the first tenants in name order");
		if (paging.refused() != null) {
			return paging.refused();
		}
		Map<String, Integer> counts = new LinkedHashMap<>();
		tenants.counts().forEach((tenantState, count) -> counts.put(tenantState.name(), count));
		TenantStatusPage found = tenants.page(filter, paging.page(), paging.size());
		return new WebEndpointResponse<>(new TenantsDescriptor(
				counts.values().stream().mapToInt(Integer::intValue).sum(), counts,
				(filter != null) ? filter.name() : null,
				found.tenants().stream().map((tenant) -> TenantDescriptor.of(tenant, showSql)).toList(), found.page(),
				found.size(), found.total(), (found.total() + (long) found.size() - 1) / found.size()));
	}

	/**
	 * One tenant ({@code /tenants/{tenant}}), by its name as it is in the catalog.
	 * @param resource {@code tenants}
	 * @param tenant the tenant's name, case-sensitive
	 * @param securityContext who asks: whether SQL in an error is shown
	 * @return the tenant; 404 for an unknown tenant, and when tenants are not configured
	 */
	@ReadOperation
	public WebEndpointResponse<Object> tenant(@Selector String resource, @Selector String tenant,
			SecurityContext securityContext) {
		if (!TENANTS.equals(resource)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		TenantStatuses tenants = this.tenants;
		if (tenants == null) {
			return tenantsOff();
		}
		TenantStatus status = tenants.get(tenant);
		if (status == null) {
			return new WebEndpointResponse<>(new ErrorDescriptor("No tenant '" + shorten(tenant) + "' is known",
					"Name a tenant as it is in the catalog (names are case-sensitive); GET /actuator/migrations/tenants "
							+ "lists them. A tenant appears once this application has listed it: at a fan-out, or "
							+ "when it is onboarded (TenantMigrations.migrate)."),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return new WebEndpointResponse<>(TenantDescriptor.of(status, isSqlShown(securityContext)));
	}

	private static WebEndpointResponse<Object> tenantsOff() {
		return new WebEndpointResponse<>(new ErrorDescriptor(
				"Tenants are not configured: this application migrates its own schema only",
				"List the tenants with migrations.tenants.schemas (their schemas) or migrations.tenants.query (a query "
						+ "that returns them), or define a TenantSource bean; see docs/tenants.md."),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static @Nullable Integer wholeNumber(@Nullable String value, int defaultValue, int min, int max) {
		if (value == null || value.isEmpty()) {
			return defaultValue;
		}
		try {
			int number = Integer.parseInt(value.strip());
			return (number >= min && number <= max) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static WebEndpointResponse<Object> badRequest(String error, String action) {
		return new WebEndpointResponse<>(new ErrorDescriptor(error, action), WebEndpointResponse.STATUS_BAD_REQUEST);
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
		WebEndpointResponse<Object> refused = refuseWrite(securityContext);
		if (refused != null) {
			return refused;
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

	private @Nullable WebEndpointResponse<Object> refuseWrite(SecurityContext securityContext) {
		if (this.writeRole != null && !securityContext.isUserInRole(this.writeRole)) {
			int status = (securityContext.getPrincipal() != null) ? 403
					: 401;
			return new WebEndpointResponse<>(new ErrorDescriptor("Write operations need a user in role "
					+ this.writeRole + " (migrations.endpoint.write-role)", null), status);
		}
		return null;
	}

	/**
	 * Accept the live schema as the reference of its version ({@code drift}, with
	 * {@code accept=true}), or run the pending contract migrations now whatever instances
	 * still expect an older schema ({@code contract}, with {@code force=true}): stored with the name of the user who asks (or
	 * {@value #ANONYMOUS}) and the time, under the migration lock, waiting for it like
	 * the other write operations.
	 * @param name {@code drift} or {@code contract}
	 * @param accept must be {@code true} for {@code drift}
	 * @param force must be {@code true} for {@code contract}
	 * @param securityContext who asks
	 * @return the drift check after the accept, the contract's state after the run, or
	 * what went wrong
	 */
	@WriteOperation
	public WebEndpointResponse<Object> accept(@Selector String name, @Nullable Boolean accept, @Nullable Boolean force,
			SecurityContext securityContext) {
		if (!DRIFT.equals(name) && !CONTRACT.equals(name)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		WebEndpointResponse<Object> refused = refuseWrite(securityContext);
		if (refused != null) {
			return refused;
		}
		if (CONTRACT.equals(name)) {
			return forceContract(force, securityContext);
		}
		if (!this.operations.isDriftDetectionEnabled()) {
			return driftOff();
		}
		if (!Boolean.TRUE.equals(accept)) {
			return badRequest("Nothing to do: accepting the live schema needs \"accept\": true",
					"Send {\"accept\": true} to store the live schema as the reference of its version; "
							+ "GET /actuator/migrations/drift shows what differs first.");
		}
		java.security.Principal principal = securityContext.getPrincipal();
		String who = (principal != null && StringUtils.hasText(principal.getName())) ? principal.getName()
				: ANONYMOUS;
		try {
			return new WebEndpointResponse<>(DriftDescriptor.of(this.operations.acceptDrift(who), false));
		}
		catch (MigrationsException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	private WebEndpointResponse<Object> forceContract(@Nullable Boolean force, SecurityContext securityContext) {
		if (this.contract == null) {
			return contractOff();
		}
		if (!Boolean.TRUE.equals(force)) {
			return badRequest("Nothing to do: running the contract migrations now needs \"force\": true",
					"Send {\"force\": true} to run the pending contract migrations whatever instances still expect "
							+ "an older schema; GET /actuator/migrations/contract shows which ones they wait for.");
		}
		java.security.Principal principal = securityContext.getPrincipal();
		String who = (principal != null && StringUtils.hasText(principal.getName())) ? principal.getName()
				: ANONYMOUS;
		try {
			return new WebEndpointResponse<>(ContractDescriptor.of(this.contract.force(who)));
		}
		catch (MigrationsException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	private static WebEndpointResponse<Object> contractOff() {
		return new WebEndpointResponse<>(new ErrorDescriptor(
				"Contract migrations are off (migrations.contract.locations is empty, or migrations.mode does not "
						+ "migrate)",
				"Set migrations.contract.locations to where the contract migrations are, such as "
						+ "classpath:db/contract, on an instance in mode migrate, background or migrate-and-exit."),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/**
	 * A drift check, run on request: a catalog read and one query of the reference, under
	 * the migration lock taken without waiting.
	 */
	private WebEndpointResponse<Object> drift(boolean showSql) {
		if (!this.operations.isDriftDetectionEnabled()) {
			return driftOff();
		}
		try {
			return new WebEndpointResponse<>(DriftDescriptor.of(this.operations.drift(), showSql));
		}
		catch (MigrationsException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(ex.getMessage(), ex.getAction()),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	/**
	 * The replica registry, read on request: one query of its table.
	 */
	private WebEndpointResponse<Object> replicas() {
		if (this.replicas == null) {
			return new WebEndpointResponse<>(new ErrorDescriptor(
					"This instance keeps no replica registry (migrations.replicas.enabled=false, or a one-shot "
							+ "migrations.mode)",
					"Set migrations.replicas.enabled=true (the default) on instances that keep running; each then "
							+ "records itself beside the schema history table."),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		try {
			return new WebEndpointResponse<>(ReplicasDescriptor.of(this.replicas, this.replicas.replicas()));
		}
		catch (SQLException ex) {
			return new WebEndpointResponse<>(new ErrorDescriptor(
					"The replica registry could not be read: " + ex.getMessage(),
					"Check that the database is reachable (GET /actuator/health) and ask again."),
					WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
		}
	}

	private static WebEndpointResponse<Object> driftOff() {
		return new WebEndpointResponse<>(new ErrorDescriptor("Drift detection is off (migrations.drift.enabled=false)",
				"Set migrations.drift.enabled=true: the next migration stores the schema's fingerprint, and the "
						+ "next start-up records the live schema as the reference of its version."),
				WebEndpointResponse.STATUS_NOT_FOUND);
	}

	private static String shorten(@Nullable String value) {
		if (value == null) {
			return "";
		}
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

	private @Nullable LintDescriptor lint(SchemaSnapshot schema, boolean showSql) {
		LintReport report = this.operations.lastLintReport();
		LintFailOn failOn = this.operations.lintFailOn();
		if (report == null || failOn == null) {
			return null;
		}
		LintReport pending = report.onlyFor(schema.pending().stream().map(MigrationSummary::script).toList());
		return new LintDescriptor(failOn.name().toLowerCase(Locale.ROOT),
				findings(first(pending.findings(), SUMMARY_LIST_LIMIT), showSql),
				findings(first(pending.suppressed(), SUMMARY_LIST_LIMIT), showSql), pending.findings().size(),
				pending.suppressed().size());
	}

	private static <T> List<T> first(List<T> list, int limit) {
		return (list.size() > limit) ? List.copyOf(list.subList(0, limit)) : list;
	}

	private static List<FindingDescriptor> findings(List<LintFinding> findings, boolean showSql) {
		return findings.stream().map((finding) -> FindingDescriptor.of(finding, showSql)).toList();
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
	 * The endpoint's summary: where the schema is, then the first few of each list. Its
	 * size is bounded: the applied history is served by {@code /history}, a page at a
	 * time.
	 *
	 * @param status one of {@code UNKNOWN}, {@code NOT_INITIALIZED}, {@code PENDING},
	 * {@code UP_TO_DATE}, {@code AHEAD}, {@code FAILED}
	 * @param currentVersion the highest applied version
	 * @param expectedVersion the highest version the application ships
	 * @param counts how many migrations are applied, pending and failed, and how many
	 * backups exist
	 * @param inspectedAt when the status was last read from the database
	 * @param pending the first {@value MigrationsEndpoint#SUMMARY_LIST_LIMIT} pending
	 * migrations, in order
	 * @param failed the first {@value MigrationsEndpoint#SUMMARY_LIST_LIMIT} failed
	 * migrations
	 * @param lastRun the last run of the lifecycle in this application
	 * @param backups the newest {@value MigrationsEndpoint#SUMMARY_BACKUP_LIMIT} backups,
	 * newest first
	 * @param lint the lint findings of the pending migrations, absent when the lint is
	 * off or has not run
	 * @param running the run in progress in this application, absent when none is
	 */
	public record MigrationsDescriptor(String status, @Nullable String currentVersion, @Nullable String expectedVersion,
			CountsDescriptor counts, String inspectedAt, List<MigrationDescriptor> pending,
			List<MigrationDescriptor> failed, @Nullable RunDescriptor lastRun, List<BackupDescriptor> backups,
			@Nullable LintDescriptor lint, @Nullable RunningDescriptor running, @Nullable ContractDescriptor contract)
			implements OperationResponseBody {
	}

	/**
	 * A run in progress in this application: a start-up migration in {@code background}
	 * mode, or an operator's {@code migrate}, {@code rollback} or {@code backup}.
	 *
	 * @param operation {@code MIGRATE}, {@code ROLLBACK} or {@code BACKUP}
	 * @param phase {@code INSPECTING}, {@code WAITING_FOR_LOCK}, {@code BACKING_UP} or
	 * {@code APPLYING}
	 * @param version the version of the migration being applied (or undone), absent
	 * before the first and for a repeatable migration
	 * @param description the description of the migration being applied
	 * @param step which step is being applied, from 1 (0 before the first)
	 * @param steps how many steps the run applies (0 before it knows)
	 * @param startedAt when the run started
	 * @param elapsedMillis how long it has been running
	 * @param backfill how far the step's batched backfill has got, or {@code null}
	 */
	public record RunningDescriptor(String operation, String phase, @Nullable String version,
			@Nullable String description, int step, int steps, String startedAt, long elapsedMillis,
			@Nullable BackfillDescriptor backfill) {

		static @Nullable RunningDescriptor of(@Nullable RunningOperation running) {
			if (running == null) {
				return null;
			}
			return new RunningDescriptor(running.operation().name(), running.phase().name(), running.version(),
					running.description(), running.step(), running.steps(), running.startedAt().toString(),
					Duration.between(running.startedAt(), Instant.now()).toMillis(),
					(running.backfill() != null) ? BackfillDescriptor.of(running.backfill()) : null);
		}

	}

	/**
	 * A batched backfill in progress.
	 *
	 * @param table the table being filled
	 * @param rowsScanned the rows walked past, in key order
	 * @param rowsUpdated the rows changed
	 * @param rowsEstimated the planner's estimate of the table's rows, or -1
	 * @param rowsLeft the rows left to walk past by the estimate, or -1
	 * @param batches the batches committed
	 */
	public record BackfillDescriptor(String table, long rowsScanned, long rowsUpdated, long rowsEstimated,
			long rowsLeft, long batches) {

		static BackfillDescriptor of(BackfillProgress progress) {
			return new BackfillDescriptor(progress.table(), progress.rowsScanned(), progress.rowsUpdated(),
					progress.rowsEstimated(), progress.rowsLeft(), progress.batches());
		}

	}

	/**
	 * The lint findings of the pending migrations.
	 *
	 * @param failOn the lowest severity that stops the lifecycle
	 * ({@code migrations.lint.fail-on})
	 * @param findings the first {@value MigrationsEndpoint#SUMMARY_LIST_LIMIT} findings
	 * that count
	 * @param suppressed the first {@value MigrationsEndpoint#SUMMARY_LIST_LIMIT} findings
	 * a {@code -- migrations:allow} comment suppresses
	 * @param findingsCount how many findings count
	 * @param suppressedCount how many findings are suppressed
	 */
	public record LintDescriptor(String failOn, List<FindingDescriptor> findings, List<FindingDescriptor> suppressed,
			int findingsCount, int suppressedCount) {
	}

	/**
	 * One lint finding, in the summary's {@code lint} and in a plan step's {@code lint}
	 * alike.
	 *
	 * @param rule the rule's id
	 * @param severity {@code warning} or {@code error}
	 * @param script the migration's script
	 * @param line the statement's line in the script
	 * @param message what is wrong
	 * @param recipe how to do it safely
	 * @param statement the statement, shortened, or {@value MigrationsEndpoint#HIDDEN}
	 * when SQL is not shown
	 * @param reason the reason given for allowing it, when suppressed
	 */
	public record FindingDescriptor(String rule, String severity, String script, int line, String message,
			String recipe, String statement, @Nullable String reason) {

		static FindingDescriptor of(LintFinding finding, boolean showSql) {
			return new FindingDescriptor(finding.rule(), finding.severity().id(), finding.script(), finding.line(),
					finding.message(), finding.recipe(), showSql ? finding.statement() : HIDDEN,
					finding.suppressedBecause());
		}

	}

	/**
	 * Counts of migrations and backups.
	 *
	 * @param applied applied migrations
	 * @param pending pending migrations
	 * @param failed failed migrations
	 * @param backups backups
	 */
	public record CountsDescriptor(int applied, int pending, int failed, int backups) {
	}

	/**
	 * One page of the schema history, newest first, shaped like a Spring Data page.
	 *
	 * @param content the rows of the page, highest installed rank first
	 * @param page the page's number, from 0
	 * @param size the most rows a page holds
	 * @param totalElements how many rows the history table holds
	 * @param totalPages how many pages they fill
	 */
	public record HistoryDescriptor(List<MigrationDescriptor> content, int page, int size, long totalElements,
			long totalPages) implements OperationResponseBody {
	}

	/**
	 * Every backup.
	 *
	 * @param backups the backups, newest first
	 */
	public record BackupsDescriptor(List<BackupDescriptor> backups) implements OperationResponseBody {
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
	 * @param installedRank its position in the schema history ({@code null} when not
	 * applied)
	 */
	public record MigrationDescriptor(@Nullable String version, String description, String script, String type,
			String state, @Nullable Integer checksum, @Nullable String installedOn, @Nullable String installedBy,
			@Nullable Long executionTimeMillis, @Nullable Boolean success, @Nullable Integer installedRank) {

		static MigrationDescriptor of(MigrationSummary migration) {
			Boolean success = (migration.installedOn() != null) ? !migration.state().contains("FAILED") : null;
			return new MigrationDescriptor(migration.version(), migration.description(), migration.script(),
					migration.type(), migration.state(), migration.checksum(), text(migration.installedOn()),
					migration.installedBy(), millis(migration.executionTime()), success, migration.installedRank());
		}

	}

	/**
	 * One migration with its SQL.
	 *
	 * @param migration the migration
	 * @param sql its SQL, for a SQL migration whose script is found, when SQL is shown
	 * ({@code management.endpoint.migrations.show-sql})
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
	 * @param migrationsExecuted the migrations it applied, in order (in the summary, the
	 * first {@value MigrationsEndpoint#SUMMARY_LIST_LIMIT})
	 * @param migrationsExecutedCount how many migrations it applied
	 * @param lockWaitMillis how long it waited for the lock
	 * @param backup the backup it took
	 * @param error what went wrong
	 */
	public record RunDescriptor(String operation, String startedAt, String finishedAt, long durationMillis, String outcome,
			@Nullable String fromVersion, @Nullable String toVersion, List<MigrationDescriptor> migrationsExecuted,
			int migrationsExecutedCount, @Nullable Long lockWaitMillis, @Nullable BackupDescriptor backup,
			@Nullable String error) implements OperationResponseBody {

		static RunDescriptor of(MigrationRun run) {
			return of(run, Integer.MAX_VALUE);
		}

		static RunDescriptor of(MigrationRun run, int executedLimit) {
			return new RunDescriptor(run.operation().name(), run.startedAt().toString(), run.finishedAt().toString(), run.duration().toMillis(),
					run.outcome().name(), run.fromVersion(), run.toVersion(),
					migrations(first(run.executed(), executedLimit)), run.executed().size(), millis(run.lockWait()),
					(run.backup() != null) ? BackupDescriptor.of(run.backup()) : null, run.error());
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
	 * @param kind why it was taken ({@code pre-migration}, {@code pre-rollback}, {@code pre-contract},
	 * {@code on-request}), or {@code null} when unknown
	 */
	public record BackupDescriptor(String file, String strategy, String created, long sizeBytes, long durationMillis,
			@Nullable String fromVersion, @Nullable String toVersion, boolean verified,
			@Nullable String kind) implements OperationResponseBody {

		static BackupDescriptor of(BackupRecord backup) {
			return new BackupDescriptor(backup.location(), backup.strategy(), backup.createdAt().toString(),
					backup.sizeBytes(), backup.duration().toMillis(), backup.fromVersion(), backup.toVersion(),
					backup.verified(), (backup.kind() != null) ? backup.kind().label() : null);
		}

	}

	/**
	 * A plan: what a migrate or a rollback would do.
	 *
	 * @param kind {@code migrate} or {@code rollback}
	 * @param history the schema history table
	 * @param currentVersion the schema's version now
	 * @param targetVersion the version the run leads to ({@code null}: no version left)
	 * @param backup whether a backup would be taken, how and where, and why
	 * @param steps what would run, in order
	 * @param problems why it cannot run; empty when it can
	 */
	public record PlanDescriptor(String kind, String history, @Nullable String currentVersion,
			@Nullable String targetVersion, BackupDecision backup, List<StepDescriptor> steps,
			List<String> problems) implements OperationResponseBody {

		static PlanDescriptor of(MigrationPlan plan, boolean showSql) {
			return new PlanDescriptor(plan.kind(), plan.history(), plan.currentVersion(), plan.targetVersion(),
					plan.backup(), plan.steps().stream().map((step) -> StepDescriptor.of(step, showSql)).toList(),
					plan.problems());
		}

	}

	/**
	 * One step of a plan: a pending migration, or the undo of an applied one.
	 *
	 * @param version its version ({@code null} for a repeatable migration)
	 * @param description its description
	 * @param script its script or class (for an undo step: the undo, or the migration's
	 * own script when it has none)
	 * @param type Flyway's type ({@code SQL}, {@code JDBC}) or {@code UNDO}
	 * @param checksum its checksum, when it has one
	 * @param sql the SQL that would run, for SQL scripts, when SQL is shown
	 * @param transactional whether it runs in a transaction ({@code null} when unknown)
	 * @param estimatedMillis an estimate from history, when there is one
	 * @param undo what undoes it (for a migrate) or what undoes it now (for a rollback)
	 * @param lint what the lint says about it, suppressed findings included (those carry
	 * a {@code reason}); empty for undo steps and when the lint is off
	 */
	public record StepDescriptor(@Nullable String version, String description, String script, String type,
			@Nullable Integer checksum, @Nullable String sql, @Nullable Boolean transactional,
			@Nullable Long estimatedMillis, @Nullable String undo, List<FindingDescriptor> lint) {

		static StepDescriptor of(Step step, boolean showSql) {
			return new StepDescriptor(step.version(), step.description(), step.script(), step.type(), step.checksum(),
					showSql ? step.sql() : null, step.transactional(), step.estimatedMillis(), step.undo(),
					findings(step.lint(), showSql));
		}

	}

	/**
	 * A drift check: the live schema compared with the stored reference of its version.
	 *
	 * @param status {@code NONE}, {@code DRIFTED}, {@code NO_REFERENCE} or {@code SKIPPED}
	 * (a migration holds the lock: nothing was compared)
	 * @param version the schema's version, absent for an empty schema and when skipped
	 * @param checkedAt when the check ran
	 * @param reference the stored reference compared with, absent when there is none
	 * @param postgresql the major version of the server the live schema was read from
	 * @param counts how many objects differ, by severity
	 * @param objects each object added, removed or changed
	 * @param note what to know besides (another PostgreSQL major version, a baseline just
	 * recorded, why the check was skipped)
	 */
	public record DriftDescriptor(String status, @Nullable String version, String checkedAt,
			@Nullable ReferenceDescriptor reference, @Nullable Integer postgresql, DriftCountsDescriptor counts,
			List<DriftObjectDescriptor> objects, @Nullable String note) implements OperationResponseBody {

		static DriftDescriptor of(DriftReport report, boolean showSql) {
			return new DriftDescriptor(report.status().name(), report.version(), report.checkedAt().toString(),
					ReferenceDescriptor.of(report.reference()),
					(report.livePostgresqlVersion() != 0) ? report.livePostgresqlVersion() : null,
					new DriftCountsDescriptor(report.objects(Severity.SCHEMA).size(),
							report.objects(Severity.PRIVILEGES).size()),
					report.objects().stream().map((object) -> DriftObjectDescriptor.of(object, showSql)).toList(),
					report.note());
		}

	}

	/**
	 * The stored reference of a version.
	 *
	 * @param reason {@code migrate}, {@code rollback}, {@code baseline} or
	 * {@code accepted}
	 * @param recordedAt when it was stored
	 * @param recordedBy who stored it: the database user for a run, the operator for an
	 * accept
	 * @param postgresql the major version of the server it was read from
	 * @param digest the SHA-256 of its objects
	 */
	public record ReferenceDescriptor(String reason, String recordedAt, String recordedBy, int postgresql,
			String digest) {

		static @Nullable ReferenceDescriptor of(@Nullable StoredFingerprint reference) {
			return (reference != null) ? new ReferenceDescriptor(reference.reason().label(),
					reference.recordedAt().toString(), reference.recordedBy(),
					reference.fingerprint().postgresqlVersion(), reference.fingerprint().digest()) : null;
		}

	}

	/**
	 * How many objects differ.
	 *
	 * @param schema objects of the schema's shape
	 * @param privileges grants and owners
	 */
	public record DriftCountsDescriptor(int schema, int privileges) {
	}

	/**
	 * One object that differs, its stored and live definitions side by side.
	 *
	 * @param change {@code added}, {@code removed} or {@code changed}
	 * @param kind its kind, such as {@code index}
	 * @param identity which one, such as {@code public.items_name}
	 * @param severity {@code SCHEMA} or {@code PRIVILEGES}
	 * @param stored its definition in the reference, when SQL is shown and it had one
	 * @param live its definition now, when SQL is shown and it has one
	 */
	public record DriftObjectDescriptor(String change, String kind, String identity, String severity,
			@Nullable String stored, @Nullable String live) {

		static DriftObjectDescriptor of(ObjectDifference object, boolean showSql) {
			return new DriftObjectDescriptor(object.change().name().toLowerCase(Locale.ROOT), object.kind().label(),
					object.identity(), object.severity().name(), showSql ? object.stored() : null,
					showSql ? object.live() : null);
		}

	}

	/**
	 * The tenants: how many are in each state, and one page of them in name order,
	 * shaped like the history's page.
	 *
	 * @param total how many tenants this application has listed
	 * @param counts how many are in each state, every state present:
	 * {@code PENDING}, {@code MIGRATING}, {@code MIGRATED}, {@code UP_TO_DATE},
	 * {@code FAILED}, {@code SKIPPED}
	 * @param state the state the page is filtered by, absent for all
	 * @param content the tenants of the page, in name order
	 * @param page the page's number, from 0
	 * @param size the most tenants a page holds
	 * @param totalElements how many tenants match the filter
	 * @param totalPages how many pages they fill
	 */
	public record TenantsDescriptor(int total, Map<String, Integer> counts, @Nullable String state,
			List<TenantDescriptor> content, int page, int size, long totalElements,
			long totalPages) implements OperationResponseBody {
	}

	/**
	 * One tenant, as this application last saw it.
	 *
	 * @param tenant its name
	 * @param state {@code PENDING}, {@code MIGRATING}, {@code MIGRATED},
	 * {@code UP_TO_DATE}, {@code FAILED} or {@code SKIPPED}
	 * @param currentVersion its schema's version as last seen, absent when nothing is
	 * applied or it was not read yet
	 * @param expectedVersion the version the tenant migrations lead to, absent when not
	 * read yet
	 * @param pending how many migrations were pending as last seen
	 * @param executed how many migrations its last run applied
	 * @param startedAt when its last run started, absent before the first
	 * @param finishedAt when its last run ended, absent while none ended
	 * @param durationMillis how long its last run took, absent while none ended
	 * @param lockWaitMillis how long its last run waited for the tenant's lock
	 * @param backup the backup its last run took
	 * @param error why its last run failed or it was skipped: the message only, with
	 * PostgreSQL's error; a statement Flyway quotes reads
	 * {@value MigrationsEndpoint#HIDDEN} unless SQL is shown
	 */
	public record TenantDescriptor(String tenant, String state, @Nullable String currentVersion,
			@Nullable String expectedVersion, int pending, int executed, @Nullable String startedAt,
			@Nullable String finishedAt, @Nullable Long durationMillis, @Nullable Long lockWaitMillis,
			@Nullable BackupDescriptor backup, @Nullable String error) implements OperationResponseBody {

		static TenantDescriptor of(TenantStatus status, boolean showSql) {
			String error = status.error();
			if (error != null && !showSql) {
				error = STATEMENT.matcher(error).replaceAll("$1 " + HIDDEN);
			}
			return new TenantDescriptor(status.tenant(), status.state().name(), status.currentVersion(),
					status.expectedVersion(), status.pending(), status.executed(), text(status.startedAt()),
					text(status.finishedAt()), millis(status.duration()), millis(status.lockWait()),
					(status.backup() != null) ? BackupDescriptor.of(status.backup()) : null, error);
		}

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
