package io.apiforge.migrations.replicas;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * This instance's entry in the replica registry, and a reader of everyone's: it
 * registers and refreshes its own row ({@link #heartbeat()}), removes it on an orderly
 * shutdown ({@link #deregister()}) and lists the rows with their liveness
 * ({@link #replicas()}).
 *
 * @author apiforge
 */
public class ReplicaRegistry {

	/**
	 * How long a row whose instance stopped heartbeating is kept before a start removes
	 * it: long enough to see in the endpoint what ended badly (a kill, a lost host),
	 * short enough for the table to stay as small as the fleet.
	 */
	public static final Duration PRUNE_AFTER = Duration.ofDays(1);

	private final DataSource dataSource;

	private final ReplicaTable table;

	private final ReplicaIdentity identity;

	private final Supplier<@Nullable String> expectedVersion;

	private final Duration staleAfter;

	private volatile boolean registered;

	/**
	 * Create the registry.
	 * @param dataSource the application's database (where its schema history is)
	 * @param table the registry's table
	 * @param identity this instance
	 * @param expectedVersion the schema version this instance's migrations lead to, read
	 * at each heartbeat
	 * @param staleAfter how old a heartbeat may be for its instance to count as live
	 */
	public ReplicaRegistry(DataSource dataSource, ReplicaTable table, ReplicaIdentity identity,
			Supplier<@Nullable String> expectedVersion, Duration staleAfter) {
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.notNull(table, "'table' must not be null");
		Assert.notNull(identity, "'identity' must not be null");
		Assert.notNull(expectedVersion, "'expectedVersion' must not be null");
		Assert.isTrue(staleAfter != null && !staleAfter.isNegative() && !staleAfter.isZero(),
				"'staleAfter' must be positive");
		this.dataSource = dataSource;
		this.table = table;
		this.identity = identity;
		this.expectedVersion = expectedVersion;
		this.staleAfter = staleAfter;
	}

	/**
	 * Return this instance.
	 * @return its identity
	 */
	public ReplicaIdentity self() {
		return this.identity;
	}

	/**
	 * Return how old a heartbeat may be for its instance to count as live.
	 * @return the duration
	 */
	public Duration staleAfter() {
		return this.staleAfter;
	}

	/**
	 * Insert or refresh this instance's row; the first time, also remove the rows of
	 * instances gone for longer than {@link #PRUNE_AFTER}.
	 * @return {@code false} when nothing was written because the schema history table
	 * does not exist yet (nothing migrated this database so far)
	 * @throws SQLException when the row cannot be written
	 */
	public boolean heartbeat() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean written = this.table.heartbeat(connection, this.identity, this.expectedVersion.get());
			if (written && !this.registered) {
				this.table.prune(connection, PRUNE_AFTER);
				this.registered = true;
			}
			return written;
		}
	}

	/**
	 * Remove this instance's row.
	 * @return whether there was one
	 * @throws SQLException when it cannot be removed
	 */
	public boolean deregister() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			return this.table.remove(connection, this.identity.instanceId());
		}
	}

	/**
	 * Return every instance in the registry, the newest start first, live or not.
	 * @return the instances
	 * @throws SQLException when the registry cannot be read
	 */
	public List<Replica> replicas() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			return this.table.list(connection, this.staleAfter);
		}
	}

}
