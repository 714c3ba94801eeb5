package io.apiforge.migrations.lock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

import io.apiforge.migrations.DurationFormat;
import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.jdbc.DataSourceDetails;

/**
 * A {@link MigrationLockProvider} on a PostgreSQL session advisory lock, held on a
 * connection of its own for as long as the lock is held. That connection is opened
 * outside the application's pool where the pool type allows it, so that the lock costs
 * no pool slot (a small pool would otherwise starve Flyway) and is never handed back to
 * the pool while locked. The server releases the lock if the connection drops, so a
 * killed instance never leaves it behind. Waiting polls
 * {@code pg_try_advisory_lock}, so that the wait is bounded and never blocks a backend.
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

	private static final String HOLDER_QUERY = """
			SELECT a.pid, a.application_name, a.client_addr, a.backend_start
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid = CAST(? AS oid) AND l.objid = CAST(? AS oid) AND l.objsubid = 1""";

	private final Duration retryInterval;

	/**
	 * Create a provider.
	 * @param retryInterval how long to sleep between attempts while another instance
	 * holds the lock
	 */
	public PostgresAdvisoryLockProvider(Duration retryInterval) {
		Assert.isTrue(!retryInterval.isNegative() && !retryInterval.isZero(), "'retryInterval' must be positive");
		this.retryInterval = retryInterval;
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
			return new AdvisoryLock(connection, key, name, waited);
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
		try {
			return DataSourceDetails.unpooled(dataSource).getConnection();
		}
		catch (SQLException ex) {
			throw new MigrationsException(
					"Could not open a connection for the migration lock of " + name + ": " + ex.getMessage(),
					"Check the database URL, user and password (spring.datasource.* or spring.flyway.*), and that the server is up.",
					ex);
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

		AdvisoryLock(Connection connection, long key, String name, Duration waited) {
			this.connection = connection;
			this.key = key;
			this.name = name;
			this.waited = waited;
		}

		@Override
		public Duration waited() {
			return this.waited;
		}

		@Override
		public void close() {
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
