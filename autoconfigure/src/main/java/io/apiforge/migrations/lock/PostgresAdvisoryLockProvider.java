package io.apiforge.migrations.lock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.jdbc.DataSourceDetails;
import io.apiforge.migrations.jdbc.PoolSize;
import io.apiforge.migrations.jdbc.WrappedDataSources;

/**
 * A {@link MigrationLockProvider} on a PostgreSQL session advisory lock, held on a
 * connection of its own for as long as the lock is held. That connection is opened
 * outside the application's pool where the pool type allows it (also when the pool is
 * behind a wrapper such as a {@code DelegatingDataSource} or a p6spy proxy), so that the
 * lock costs no pool slot (a small pool would otherwise starve Flyway) and is never
 * handed back to the pool while locked. The server releases the lock if the connection drops, so a
 * killed instance never leaves it behind. Waiting polls
 * {@code pg_try_advisory_lock}, so that the wait is bounded and never blocks a backend.
 * <p>
 * A held lock is kept alive: its connection has TCP keep-alive, no
 * {@code idle_session_timeout}, and a query every keep-alive interval, so that idle
 * timeouts of the server, a firewall or a NAT do not end it while a long migration runs
 * on other connections. {@link MigrationLock#verify(String)} asks the server whether this
 * session still holds the lock (its own backend in {@code pg_locks}) before each step,
 * so that a lost lock stops the run instead of letting two instances migrate at once.
 * <p>
 * The key is derived from the lock name with SHA-256, so it does not collide with
 * Flyway's own advisory lock nor with other applications' keys.
 *
 * @author apiforge
 */
public class PostgresAdvisoryLockProvider implements MigrationLockProvider {

	private static final Log logger = LogFactory.getLog(PostgresAdvisoryLockProvider.class);

	private static final String KEY_NAMESPACE = "io.apiforge.migrations:";

	private static final Executor DIRECT = Runnable::run;

	/**
	 * The smallest pool that can lend the lock a connection: one for the lock, two for
	 * Flyway (its history table and the migration), one for the rest of the run.
	 */
	static final int MINIMUM_SHARED_POOL = 4;

	private static final String HOLDER_QUERY = """
			SELECT a.pid, a.application_name, a.client_addr, a.backend_start
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid = CAST(? AS oid) AND l.objid = CAST(? AS oid) AND l.objsubid = 1""";

	private static final String HELD_QUERY = """
			SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
			AND classid = CAST(? AS oid) AND objid = CAST(? AS oid) AND objsubid = 1)""";

	/** The application name of the lock's own connections, so operators can find them. */
	static final String APPLICATION_NAME = "migrations-lock";

	/** The default interval of the keep-alive query. */
	public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);

	private final Duration retryInterval;

	private final Duration keepAliveInterval;

	private final Set<DataSource> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Create a provider whose held locks are kept alive every
	 * {@link #DEFAULT_KEEP_ALIVE_INTERVAL}.
	 * @param retryInterval how long to sleep between attempts while another instance
	 * holds the lock
	 */
	public PostgresAdvisoryLockProvider(Duration retryInterval) {
		this(retryInterval, DEFAULT_KEEP_ALIVE_INTERVAL);
	}

	/**
	 * Create a provider.
	 * @param retryInterval how long to sleep between attempts while another instance
	 * holds the lock; at least a millisecond
	 * @param keepAliveInterval how often a held lock's connection is used, so that idle
	 * timeouts on the way do not end it
	 */
	public PostgresAdvisoryLockProvider(Duration retryInterval, Duration keepAliveInterval) {
		Assert.isTrue(retryInterval.toMillis() >= 1, "'retryInterval' must be at least 1 ms");
		Assert.isTrue(keepAliveInterval.toMillis() >= 1, "'keepAliveInterval' must be at least 1 ms");
		this.retryInterval = retryInterval;
		this.keepAliveInterval = keepAliveInterval;
	}

	/**
	 * Check that the lock can have a connection of its own. When the URL and credentials
	 * of the data source cannot be read, the lock takes a connection from the
	 * application's pool for as long as it is held: said once here, with the fix; and a
	 * pool too small to serve both the lock and Flyway is refused, because the run would
	 * wait on a connection it holds itself.
	 */
	@Override
	public void check(DataSource dataSource) {
		if (DataSourceDetails.dedicated(dataSource, new Properties()) != null || !this.warned.add(dataSource)) {
			return;
		}
		OptionalInt poolSize = PoolSize.maximumOf(dataSource);
		String why = "The migration lock cannot open a connection of its own: the URL and credentials of "
				+ describe(dataSource)
				+ " cannot be read (a pool configured with a dataSourceClassName, or a pool or proxy whose target cannot be unwrapped)";
		String fix = "Configure the pool with spring.datasource.url, username and password (a JDBC URL, not a dataSourceClassName), "
				+ "so that the lock opens its own connection";
		if (poolSize.isPresent() && poolSize.getAsInt() < MINIMUM_SHARED_POOL) {
			throw new MigrationsException(why + ", so it would take one of the pool's " + poolSize.getAsInt()
					+ " connections for as long as it is held, and the migration would wait for a connection the run holds itself.",
					fix + "; or raise the pool's maximum size (spring.datasource.hikari.maximum-pool-size) to at least "
							+ MINIMUM_SHARED_POOL + ".",
					null);
		}
		logger.warn(why + ". It takes a connection from the application's pool for as long as it is held, and that "
				+ "connection has no TCP keep-alive of its own. " + fix + "; or keep the pool's maximum size at "
				+ MINIMUM_SHARED_POOL + " or more.");
	}

	private static String describe(DataSource dataSource) {
		DataSource innermost = WrappedDataSources.innermost(dataSource);
		return (innermost != dataSource)
				? innermost.getClass().getName() + " (behind " + dataSource.getClass().getName() + ")"
				: dataSource.getClass().getName();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * None when the lock opens a connection of its own (the URL and credentials of the
	 * data source, or of the pool behind a wrapper data source, can be read), one
	 * otherwise.
	 */
	@Override
	public int connectionsFromPool(DataSource dataSource) {
		return (DataSourceDetails.dedicated(dataSource, new Properties()) != null) ? 0 : 1;
	}

	/**
	 * Return the advisory lock key for a lock name.
	 * @param name the lock name
	 * @return the 64-bit key
	 */
	public static long keyFor(String name) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest((KEY_NAMESPACE + name).getBytes(StandardCharsets.UTF_8));
			return ByteBuffer.wrap(digest).getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	@Override
	public MigrationLock acquire(DataSource dataSource, String name, Duration timeout) {
		long key = keyFor(name);
		long start = System.nanoTime();
		Connection connection = connect(dataSource, name);
		try {
			connection.setAutoCommit(true);
			disableIdleSessionTimeout(connection);
			boolean announced = false;
			while (!tryLock(connection, key)) {
				Duration waited = Duration.ofNanos(System.nanoTime() - start);
				Duration remaining = timeout.minus(waited);
				if (remaining.isNegative() || remaining.isZero()) {
					throw timedOut(connection, key, name, timeout);
				}
				if (!announced) {
					logger.info("Waiting up to " + DurationFormat.format(timeout) + " for the migration lock of " + name
							+ ": another instance is migrating");
					announced = true;
				}
				Thread.sleep(Math.max(1, Math.min(this.retryInterval.toMillis(), remaining.toMillis())));
			}
			Duration waited = Duration.ofNanos(System.nanoTime() - start);
			return new AdvisoryLock(connection, key, name, waited, this.keepAliveInterval);
		}
		catch (SQLException ex) {
			discard(connection);
			throw new MigrationsException("Could not take the migration lock of " + name + ": " + ex.getMessage(),
					"Check that the database is reachable and that its user may call pg_try_advisory_lock.", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			discard(connection);
			throw new MigrationsException("Interrupted while waiting for the migration lock of " + name,
					"The application is shutting down; start it again to migrate.", ex);
		}
		catch (RuntimeException ex) {
			discard(connection);
			throw ex;
		}
	}

	private static Connection connect(DataSource dataSource, String name) {
		Properties properties = new Properties();
		properties.setProperty("tcpKeepAlive", "true");
		properties.setProperty("ApplicationName", APPLICATION_NAME);
		DataSource dedicated = DataSourceDetails.dedicated(dataSource, properties);
		try {
			return ((dedicated != null) ? dedicated : dataSource).getConnection();
		}
		catch (SQLException ex) {
			throw new MigrationsException(
					"Could not open a connection for the migration lock of " + name + ": " + ex.getMessage(),
					"Check the database URL, user and password (spring.datasource.* or spring.flyway.*), and that the server is up.",
					ex);
		}
	}

	/**
	 * A server's {@code idle_session_timeout} (PostgreSQL 14 and later) would end the
	 * lock's idle session, and with it the lock, while a long migration runs elsewhere.
	 */
	private static void disableIdleSessionTimeout(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("SELECT set_config(name, '0', false) FROM pg_settings WHERE name = 'idle_session_timeout'");
		}
	}

	private static boolean tryLock(Connection connection, long key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
			statement.setLong(1, key);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1);
			}
		}
	}

	private MigrationLockTimeoutException timedOut(Connection connection, long key, String name, Duration timeout) {
		String holder = describeHolder(connection, key);
		close(connection);
		return new MigrationLockTimeoutException(
				"Timed out after " + DurationFormat.format(timeout) + " waiting for the migration lock of " + name
						+ ": another instance is migrating" + holder + ".",
				"Let the other instance finish, then start this one again; if its migrations take longer than "
						+ DurationFormat.format(timeout)
						+ ", raise migrations.lock.timeout. Find the holder with: SELECT * FROM pg_locks WHERE locktype = 'advisory' AND classid = "
						+ (key >>> 32) + " AND objid = " + (key & 0xFFFFFFFFL) + ";");
	}

	private static String describeHolder(Connection connection, long key) {
		try (PreparedStatement statement = connection.prepareStatement(HOLDER_QUERY)) {
			statement.setLong(1, key >>> 32);
			statement.setLong(2, key & 0xFFFFFFFFL);
			try (ResultSet result = statement.executeQuery()) {
				if (result.next()) {
					String application = result.getString("application_name");
					String client = result.getString("client_addr");
					return " (PostgreSQL backend pid " + result.getInt("pid")
							+ ((application != null && !application.isEmpty()) ? ", application '" + application + "'"
									: "")
							+ ((client != null) ? ", client " + client : "") + ", connected since "
							+ result.getTimestamp("backend_start").toInstant() + ")";
				}
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not tell who holds the migration lock", ex);
		}
		return "";
	}

	private static void close(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			logger.debug("Could not close the migration lock connection", ex);
		}
	}

	/**
	 * Drop a connection that may still hold the session lock: aborting it closes the
	 * physical connection, so a pool cannot hand a locked session to someone else.
	 */
	static void discard(Connection connection) {
		try {
			connection.abort(DIRECT);
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Could not abort the migration lock connection", ex);
		}
		close(connection);
	}

	private static final class AdvisoryLock implements MigrationLock {

		private final Connection connection;

		private final long key;

		private final String name;

		private final Duration waited;

		private final ScheduledExecutorService keepAlive;

		private volatile @Nullable Throwable lost;

		AdvisoryLock(Connection connection, long key, String name, Duration waited, Duration keepAliveInterval) {
			this.connection = connection;
			this.key = key;
			this.name = name;
			this.waited = waited;
			this.keepAlive = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "migrations-lock-keep-alive");
				thread.setDaemon(true);
				return thread;
			});
			long interval = keepAliveInterval.toMillis();
			this.keepAlive.scheduleWithFixedDelay(this::keepAlive, interval, interval, TimeUnit.MILLISECONDS);
		}

		@Override
		public Duration waited() {
			return this.waited;
		}

		private void keepAlive() {
			if (this.lost != null) {
				return;
			}
			try {
				if (!isHeld()) {
					this.lost = new SQLException("the lock is no longer in pg_locks for this session");
				}
			}
			catch (SQLException ex) {
				this.lost = ex;
			}
		}

		@Override
		public void verify(String step) {
			Throwable failure = this.lost;
			if (failure == null) {
				try {
					if (!isHeld()) {
						failure = new SQLException("the lock is no longer in pg_locks for this session");
					}
				}
				catch (SQLException ex) {
					failure = ex;
				}
			}
			if (failure != null) {
				this.lost = failure;
				throw new MigrationLockLostException("The migration lock of " + this.name + " was lost before "
						+ step + " (" + firstLine(failure) + "): its connection ended or was terminated, so another "
						+ "instance may hold the lock now. The run stopped before " + step + "; nothing of it was done.",
						"Find out what ended the lock's connection (application_name '" + APPLICATION_NAME
								+ "' in pg_stat_activity): the server's idle_session_timeout, a firewall or NAT idle timeout, "
								+ "a failover, pg_terminate_backend. Then run again: the next run reads again what is pending.",
						failure);
			}
		}

		private synchronized boolean isHeld() throws SQLException {
			try (PreparedStatement statement = this.connection.prepareStatement(HELD_QUERY)) {
				statement.setLong(1, this.key >>> 32);
				statement.setLong(2, this.key & 0xFFFFFFFFL);
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					return result.getBoolean(1);
				}
			}
		}

		private static String firstLine(Throwable failure) {
			String message = failure.getMessage();
			return (message != null) ? message.strip().split("\\R")[0] : failure.toString();
		}

		@Override
		public synchronized void close() {
			this.keepAlive.shutdownNow();
			if (this.lost != null) {
				discard(this.connection);
				return;
			}
			try (PreparedStatement statement = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
				statement.setLong(1, this.key);
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					if (!result.getBoolean(1)) {
						logger.warn("The migration lock of " + this.name + " was no longer held when released");
					}
				}
				this.connection.close();
			}
			catch (SQLException ex) {
				logger.warn("Could not release the migration lock of " + this.name
						+ " cleanly; dropping its connection so the server releases it", ex);
				discard(this.connection);
			}
		}

	}

}
