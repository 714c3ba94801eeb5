package io.apiforge.migrations.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.apiforge.migrations.backup.OnBackupFailure;
import io.apiforge.migrations.backup.pgdump.BackupScope;
import io.apiforge.migrations.backup.pgdump.BackupVerification;
import io.apiforge.migrations.backup.pgdump.PgDumpFormat;
import io.apiforge.migrations.drift.DriftCheckMode;
import io.apiforge.migrations.lifecycle.MigrationMode;
import io.apiforge.migrations.lint.LintFailOn;
import io.apiforge.migrations.tenants.TenantFailurePolicy;

/**
 * Configuration properties of the migration lifecycle. Flyway itself stays configured
 * through {@code spring.flyway.*}.
 *
 * @author apiforge
 */
@ConfigurationProperties("migrations")
public class MigrationsProperties {

	/**
	 * Whether to run Flyway through the migration lifecycle (inspect, lock, back up,
	 * migrate, publish). When disabled, Spring Boot's own Flyway support migrates as it
	 * would without this starter.
	 */
	private boolean enabled = true;

	/**
	 * What to do with pending migrations at start-up: 'migrate' applies them, 'validate'
	 * only reports them, 'migrate-and-exit' applies them and exits the JVM without
	 * starting the web server, 'background' starts the application first and applies
	 * them on a thread of its own while readiness is out of service, 'rollback' rolls back
	 * to migrations.rollback.target and exits, 'plan' prints what would run and exits.
	 */
	private MigrationMode mode = MigrationMode.MIGRATE;

	private final Lock lock = new Lock();

	private final Validate validate = new Validate();

	private final Backup backup = new Backup();

	private final Status status = new Status();

	private final Health health = new Health();

	private final Endpoint endpoint = new Endpoint();

	private final Rollback rollback = new Rollback();

	private final Lint lint = new Lint();

	private final Background background = new Background();

	private final Drift drift = new Drift();

	private final Tenants tenants = new Tenants();

	private final Replicas replicas = new Replicas();

	private final Contract contract = new Contract();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public MigrationMode getMode() {
		return this.mode;
	}

	public void setMode(MigrationMode mode) {
		this.mode = mode;
	}

	public Lock getLock() {
		return this.lock;
	}

	public Validate getValidate() {
		return this.validate;
	}

	public Backup getBackup() {
		return this.backup;
	}

	public Status getStatus() {
		return this.status;
	}

	public Health getHealth() {
		return this.health;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Rollback getRollback() {
		return this.rollback;
	}

	public Lint getLint() {
		return this.lint;
	}

	public Background getBackground() {
		return this.background;
	}

	public Drift getDrift() {
		return this.drift;
	}

	/**
	 * Drift detection: the live schema compared with the fingerprint stored after each
	 * run.
	 */
	public static class Drift {

		/**
		 * Whether to detect drift: store the schema's fingerprint after each migration
		 * and rollback (in a table beside the schema history table), check it at
		 * start-up, on request and periodically. When disabled, no table, no recording,
		 * no check.
		 */
		private boolean enabled = true;

		/**
		 * What the start-up check (before migrating, or once when nothing is pending)
		 * does about drift: 'warn' logs the drifted objects, 'fail' refuses to start
		 * when objects of the schema's shape drifted (grants and owners are only logged),
		 * 'off' does not check at start-up.
		 */
		private DriftCheckMode check = DriftCheckMode.WARN;

		/**
		 * How often the live schema is compared with the stored reference on a thread of
		 * the starter's, for the health detail and the meter. 0 for never (the start-up
		 * check and the endpoint still compare).
		 */
		private Duration interval = Duration.ofMinutes(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public DriftCheckMode getCheck() {
			return this.check;
		}

		public void setCheck(DriftCheckMode check) {
			this.check = check;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	public Tenants getTenants() {
		return this.tenants;
	}

	/**
	 * Many tenants, each a schema or a database with its own schema history table,
	 * migrated after the application's own schema. See docs/tenants.md.
	 */
	public static class Tenants {

		/**
		 * Schemas of the tenants, exactly as they are in the catalog (mixed case and
		 * dashes are quoted for you). A TenantSource bean, or 'query', replaces this list.
		 */
		private List<String> schemas = new ArrayList<>();

		/**
		 * SQL query that returns the tenants' schema names in its first column, run at the
		 * start of each fan-out, such as 'SELECT schema_name FROM tenants'. Not together
		 * with 'schemas'.
		 */
		private @Nullable String query;

		/**
		 * Tenants that are databases of their own, by tenant name, each reached through a
		 * small connection pool the starter opens and closes. Not together with 'schemas'
		 * or 'query'.
		 */
		private Map<String, Database> databases = new LinkedHashMap<>();

		/**
		 * Locations of the tenant migrations, apart from the application's own
		 * (spring.flyway.locations).
		 */
		private List<String> locations = new ArrayList<>(List.of("classpath:db/tenant"));

		/**
		 * Number of tenants migrated at once. Each holds two of the pool's connections
		 * (three when the lock cannot open its own), checked at start-up against the
		 * pool's maximum size.
		 */
		private int parallelism = 1;

		/**
		 * Names of the tenants migrated first; when one of them fails, no other tenant is
		 * migrated.
		 */
		private List<String> canary = new ArrayList<>();

		/**
		 * What a failed tenant does to the rest of a fan-out: 'stop' starts no new tenant,
		 * 'continue' migrates every other tenant. A failed canary always stops it.
		 */
		private TenantFailurePolicy onFailure = TenantFailurePolicy.STOP;

		public List<String> getSchemas() {
			return this.schemas;
		}

		public void setSchemas(List<String> schemas) {
			this.schemas = schemas;
		}

		public @Nullable String getQuery() {
			return this.query;
		}

		public void setQuery(@Nullable String query) {
			this.query = query;
		}

		public Map<String, Database> getDatabases() {
			return this.databases;
		}

		public void setDatabases(Map<String, Database> databases) {
			this.databases = databases;
		}

		public List<String> getLocations() {
			return this.locations;
		}

		public void setLocations(List<String> locations) {
			this.locations = locations;
		}

		public int getParallelism() {
			return this.parallelism;
		}

		public void setParallelism(int parallelism) {
			this.parallelism = parallelism;
		}

		public List<String> getCanary() {
			return this.canary;
		}

		public void setCanary(List<String> canary) {
			this.canary = canary;
		}

		public TenantFailurePolicy getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(TenantFailurePolicy onFailure) {
			this.onFailure = onFailure;
		}

		/**
		 * One tenant's own database, under the tenant's name in 'migrations.tenants.databases'.
		 */
		public static class Database {

			/**
			 * JDBC URL of the tenant's database, such as
			 * 'jdbc:postgresql://db:5432/acme'.
			 */
			private @Nullable String url;

			/**
			 * Login user of the tenant's database.
			 */
			private @Nullable String username;

			/**
			 * Login password of the tenant's database.
			 */
			private @Nullable String password;

			/**
			 * Schema the tenant's tables and history table are in, exactly as it is in the
			 * catalog. By default, the default schema of the user's connections.
			 */
			private @Nullable String schema;

			public @Nullable String getUrl() {
				return this.url;
			}

			public void setUrl(@Nullable String url) {
				this.url = url;
			}

			public @Nullable String getUsername() {
				return this.username;
			}

			public void setUsername(@Nullable String username) {
				this.username = username;
			}

			public @Nullable String getPassword() {
				return this.password;
			}

			public void setPassword(@Nullable String password) {
				this.password = password;
			}

			public @Nullable String getSchema() {
				return this.schema;
			}

			public void setSchema(@Nullable String schema) {
				this.schema = schema;
			}

		}

	}

	/**
	 * The background mode ('migrations.mode=background').
	 */
	public static class Background {

		/**
		 * Whether a failed background migration closes the application and exits the JVM
		 * with code 1, so that the orchestrator restarts it. Otherwise the application
		 * keeps running with the migrations health contributor DOWN.
		 */
		private boolean exitOnFailure = true;

		public boolean isExitOnFailure() {
			return this.exitOnFailure;
		}

		public void setExitOnFailure(boolean exitOnFailure) {
			this.exitOnFailure = exitOnFailure;
		}

	}

	/**
	 * The migration safety lint of pending SQL migrations.
	 */
	public static class Lint {

		/**
		 * Whether to check pending SQL migrations for lock hazards and breaking changes
		 * before they run, and log what is found.
		 */
		private boolean enabled = true;

		/**
		 * Lowest severity of a lint finding that stops the lifecycle before it locks,
		 * backs up or migrates: 'none' only logs findings, 'warning' stops on any finding,
		 * 'error' stops on errors only.
		 */
		private LintFailOn failOn = LintFailOn.NONE;

		/**
		 * Largest SQL migration the lint reads; a larger one is not loaded into memory
		 * but reported as a 'script-too-large' warning.
		 */
		private DataSize maxScriptSize = DataSize.ofMegabytes(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public LintFailOn getFailOn() {
			return this.failOn;
		}

		public void setFailOn(LintFailOn failOn) {
			this.failOn = failOn;
		}

		public DataSize getMaxScriptSize() {
			return this.maxScriptSize;
		}

		public void setMaxScriptSize(DataSize maxScriptSize) {
			this.maxScriptSize = maxScriptSize;
		}

	}

	/**
	 * Rollback with undo scripts.
	 */
	public static class Rollback {

		/**
		 * File name prefix of undo scripts: U2__add_phone.sql undoes V2__add_phone.sql.
		 * Letters, digits, '-' and '_', starting with a letter and not ending with a digit;
		 * it must differ from Flyway's own prefixes (V, R, B, in any case) and must not
		 * contain its separator.
		 */
		private String undoPrefix = "U";

		/**
		 * Version to roll back to in 'rollback' mode (or to plan a rollback to in 'plan'
		 * mode): an applied version, or 'base' to undo every version. Required in 'rollback'
		 * mode.
		 */
		private @Nullable String target;

		/**
		 * Whether a rollback may leave repeatable migrations applied after the target as
		 * they are. Otherwise it refuses, since they cannot be undone.
		 */
		private boolean allowRepeatables;

		public String getUndoPrefix() {
			return this.undoPrefix;
		}

		public void setUndoPrefix(String undoPrefix) {
			this.undoPrefix = undoPrefix;
		}

		public @Nullable String getTarget() {
			return this.target;
		}

		public void setTarget(@Nullable String target) {
			this.target = target;
		}

		public boolean isAllowRepeatables() {
			return this.allowRepeatables;
		}

		public void setAllowRepeatables(boolean allowRepeatables) {
			this.allowRepeatables = allowRepeatables;
		}

	}

	/**
	 * The status the endpoint and the health contributor read.
	 */
	public static class Status {

		/**
		 * How old the status may get before a reader refreshes it with one query on the
		 * schema history table, so that a migration done by another instance shows up. 0
		 * refreshes it on every read.
		 */
		private Duration refreshInterval = Duration.ofSeconds(10);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

	}

	/**
	 * The 'migrations' health contributor.
	 */
	public static class Health {

		/**
		 * Whether a database that holds versions this application does not know (as
		 * during a rolling deployment) is DOWN. Otherwise it is UP with a detail.
		 */
		private boolean failWhenAhead;

		public boolean isFailWhenAhead() {
			return this.failWhenAhead;
		}

		public void setFailWhenAhead(boolean failWhenAhead) {
			this.failWhenAhead = failWhenAhead;
		}

	}

	/**
	 * The 'migrations' actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * Role a user needs for the endpoint's write operations (migrate, backup,
		 * rollback), which exist only when
		 * management.endpoint.migrations.access=unrestricted. Empty lets anyone who can
		 * reach them use them; blank or space-padded values are refused.
		 */
		private String writeRole = "MIGRATIONS_ADMIN";

		public String getWriteRole() {
			return this.writeRole;
		}

		public void setWriteRole(String writeRole) {
			this.writeRole = writeRole;
		}

	}

	/**
	 * The lock that lets one instance at a time back up and migrate.
	 */
	public static class Lock {

		/**
		 * Maximum time to wait for another instance that holds the migration lock before
		 * start-up fails. Must be positive.
		 */
		private Duration timeout = Duration.ofMinutes(5);

		/**
		 * Time between two attempts to take the migration lock while another instance
		 * holds it. At least 1ms.
		 */
		private Duration retryInterval = Duration.ofMillis(500);

		/**
		 * Time between two queries on the connection that holds the migration lock, which
		 * keep idle timeouts of the server, firewalls and NATs from ending it (and the
		 * lock with it) while a long migration runs on other connections; they also find
		 * a lost lock early.
		 */
		private Duration keepAliveInterval = Duration.ofSeconds(30);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getRetryInterval() {
			return this.retryInterval;
		}

		public void setRetryInterval(Duration retryInterval) {
			this.retryInterval = retryInterval;
		}

		public Duration getKeepAliveInterval() {
			return this.keepAliveInterval;
		}

		public void setKeepAliveInterval(Duration keepAliveInterval) {
			this.keepAliveInterval = keepAliveInterval;
		}

	}

	/**
	 * The 'validate' mode.
	 */
	public static class Validate {

		/**
		 * Whether to refuse to start when migrations are pending in 'validate' mode.
		 * Otherwise the application starts and reports them.
		 */
		private boolean failOnPending;

		public boolean isFailOnPending() {
			return this.failOnPending;
		}

		public void setFailOnPending(boolean failOnPending) {
			this.failOnPending = failOnPending;
		}

	}

	/**
	 * The backup taken before pending migrations run.
	 */
	public static class Backup {

		/**
		 * How to back up before migrating: 'auto' uses pg_dump when a compatible one is
		 * found and otherwise 'jdbc', 'pg-dump' uses pg_dump, 'jdbc' dumps over the
		 * application's connection with no binary, 'none' takes no backup. A
		 * BackupStrategy bean replaces this choice.
		 */
		private BackupStrategyType strategy = BackupStrategyType.AUTO;

		/**
		 * What to do when the backup fails: 'abort' stops before anything is migrated,
		 * 'continue' migrates without a backup and logs a warning.
		 */
		private OnBackupFailure onFailure = OnBackupFailure.ABORT;

		/**
		 * Directory the backups are written to. Created with owner-only permissions when
		 * missing; relative paths resolve against the working directory.
		 */
		private Path directory = Path.of("backups");

		/**
		 * Output format of pg_dump: 'custom' (compressed, restored with pg_restore),
		 * 'plain' (a SQL script, restored with psql) or 'directory' (a directory with a
		 * compressed file per table, which pg_dump and pg_restore write and read with
		 * 'jobs' connections at once).
		 */
		private PgDumpFormat format = PgDumpFormat.CUSTOM;

		/**
		 * Number of tables pg_dump dumps at once, and pg_restore restores at once, each
		 * over a connection of its own (pg_dump opens one more, so jobs + 1 in all). Above
		 * 1 only with format 'directory'.
		 */
		private int jobs = 1;

		/**
		 * What pg_dump backs up: 'database' (the whole database) or 'schemas' (only the
		 * schemas Flyway manages: spring.flyway.default-schema and spring.flyway.schemas,
		 * or, when neither is set, Flyway's default schema, the connection's current one).
		 */
		private BackupScope scope = BackupScope.DATABASE;

		/**
		 * How far each backup is checked before migrating: 'none' not at all, 'list'
		 * reads it (pg_restore --list, or the plain script's closing line), 'restore'
		 * restores it into a temporary database on the same server and compares the row
		 * count of every table with the source's, which needs a role that may create
		 * databases. A backup that fails the check counts as failed. 'true' and 'false'
		 * are still read as 'list' and 'none'.
		 */
		private BackupVerification verify = BackupVerification.LIST;

		/**
		 * Maximum time a backup may take. pg_dump is killed after it, and the backup
		 * counts as failed. Must be positive.
		 */
		private Duration timeout = Duration.ofMinutes(30);

		/**
		 * Time between two progress lines in the log while a backup runs. At least 1ms.
		 */
		private Duration progressInterval = Duration.ofSeconds(5);

		private final Retention retention = new Retention();

		private final PgDump pgDump = new PgDump();

		public BackupStrategyType getStrategy() {
			return this.strategy;
		}

		public void setStrategy(BackupStrategyType strategy) {
			this.strategy = strategy;
		}

		public OnBackupFailure getOnFailure() {
			return this.onFailure;
		}

		public void setOnFailure(OnBackupFailure onFailure) {
			this.onFailure = onFailure;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public PgDumpFormat getFormat() {
			return this.format;
		}

		public void setFormat(PgDumpFormat format) {
			this.format = format;
		}

		public int getJobs() {
			return this.jobs;
		}

		public void setJobs(int jobs) {
			this.jobs = jobs;
		}

		public BackupScope getScope() {
			return this.scope;
		}

		public void setScope(BackupScope scope) {
			this.scope = scope;
		}

		public BackupVerification getVerify() {
			return this.verify;
		}

		public void setVerify(BackupVerification verify) {
			this.verify = verify;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getProgressInterval() {
			return this.progressInterval;
		}

		public void setProgressInterval(Duration progressInterval) {
			this.progressInterval = progressInterval;
		}

		public Retention getRetention() {
			return this.retention;
		}

		public PgDump getPgDump() {
			return this.pgDump;
		}

		/**
		 * How many backups to keep.
		 */
		public static class Retention {

			/**
			 * Number of backups taken before a migration, and apart from them of backups
			 * taken before a rollback, to keep for this database, the one just taken
			 * included (at least 1). Older ones of the same kind and database are deleted
			 * after each successful backup; other files are never touched.
			 */
			private int keepLast = 10;

			/**
			 * Number of backups taken on request (operation=backup) to keep for this
			 * database, the one just taken included (at least 1). Counted apart from the
			 * backups taken before migrations and rollbacks, which they never evict.
			 */
			private int keepLastOnRequest = 5;

			public int getKeepLast() {
				return this.keepLast;
			}

			public void setKeepLast(int keepLast) {
				this.keepLast = keepLast;
			}

			public int getKeepLastOnRequest() {
				return this.keepLastOnRequest;
			}

			public void setKeepLastOnRequest(int keepLastOnRequest) {
				this.keepLastOnRequest = keepLastOnRequest;
			}

		}

		/**
		 * The pg_dump client.
		 */
		public static class PgDump {

			/**
			 * Path of the pg_dump executable; pg_restore and psql are looked for beside
			 * it. By default, pg_dump is looked for on the PATH.
			 */
			private @Nullable Path path;

			public @Nullable Path getPath() {
				return this.path;
			}

			public void setPath(@Nullable Path path) {
				this.path = path;
			}

		}

	}

	public Replicas getReplicas() {
		return this.replicas;
	}

	public Contract getContract() {
		return this.contract;
	}

	/**
	 * The replica registry: each running instance records itself (host, application
	 * version, the schema version it expects) in a table beside the schema history table
	 * and refreshes its row on a heartbeat, so that a change an older version cannot run
	 * with waits until no live instance of it is left.
	 */
	public static class Replicas {

		/**
		 * Whether this instance records itself in the replica registry. Leave it on in
		 * every version of an application that will ever have contract migrations: an
		 * instance that does not register is not waited for. Instances started in a
		 * one-shot mode (migrate-and-exit, rollback, plan) never register.
		 */
		private boolean enabled = true;

		/**
		 * How often this instance refreshes its row in the registry.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(30);

		/**
		 * How old an instance's last heartbeat may be before the others count it as gone
		 * (killed, or its host lost); at least twice the heartbeat interval. An instance
		 * that shuts down in order removes its row at once.
		 */
		private Duration staleAfter = Duration.ofMinutes(2);

		/**
		 * This instance's id in the registry; a random UUID per start when not set.
		 */
		private @Nullable String instanceId;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public Duration getStaleAfter() {
			return this.staleAfter;
		}

		public void setStaleAfter(Duration staleAfter) {
			this.staleAfter = staleAfter;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

	}

	/**
	 * Contract migrations: scripts that drop or rename what the previous version of the
	 * application still used, run only once no live replica expects that version.
	 */
	public static class Contract {

		/**
		 * Where the contract migrations are, such as classpath:db/contract: Flyway
		 * versioned SQL migrations with a history table of their own (the schema history
		 * table's name with _contract). Empty (the default) turns contract migrations off.
		 */
		private List<String> locations = new ArrayList<>();

		/**
		 * How often a waiting contract migration checks its gate again, on the daemon
		 * thread migrations-contract; at least 1s, or 0 to check only at start-up.
		 */
		private Duration checkInterval = Duration.ofMinutes(1);

		/**
		 * Consumers of the schema that do not heartbeat (batch jobs, other services), by
		 * name, each with the schema version it still expects: each counts as a live
		 * replica expecting that version until the entry is changed or removed.
		 */
		private Map<String, String> external = new LinkedHashMap<>();

		public List<String> getLocations() {
			return this.locations;
		}

		public void setLocations(List<String> locations) {
			this.locations = locations;
		}

		public Duration getCheckInterval() {
			return this.checkInterval;
		}

		public void setCheckInterval(Duration checkInterval) {
			this.checkInterval = checkInterval;
		}

		public Map<String, String> getExternal() {
			return this.external;
		}

		public void setExternal(Map<String, String> external) {
			this.external = external;
		}

	}

}
