package io.apiforge.migrations.backfill;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.DigestUtils;
import org.springframework.util.StringUtils;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.status.BackfillProgress;
import io.apiforge.migrations.status.BackfillProgressListener;
import io.apiforge.migrations.status.SchemaHistory;

/**
 * A batched backfill: updates a table in the order of a unique key, a batch of rows at a
 * time, each batch in a transaction of its own with a {@code lock_timeout} and a
 * {@code statement_timeout}, a pause between batches, and a checkpoint written in each
 * batch's transaction, so that a migration killed half-way resumes after the last batch
 * that committed and never updates a row twice. Use it from a Java migration that runs
 * outside Flyway's transaction (see {@link BackfillMigration}):
 *
 * <pre class="code">
 * Backfill.table("usertable")
 *     .key("id")
 *     .set("full_name = trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))")
 *     .where("full_name IS NULL")
 *     .run(context);
 * </pre>
 *
 * Each batch walks past {@code batchSize} keys in key order (so that its statement is
 * short however few of them need a change) and updates those that match the
 * {@code where} condition. Rows changed meanwhile by the application are not
 * overwritten with stale values: the update is evaluated against the row as it is when
 * the batch locks it (PostgreSQL re-checks the condition), and a row locked by a longer
 * transaction makes the batch give up after {@code lockTimeout} and try again after the
 * pause, up to {@code retries} times.
 * <p>
 * Progress is logged at most every {@link #LOG_INTERVAL}, and shown in
 * {@code /actuator/migrations} (the {@code running} run's {@code backfill}) while the
 * migration runs.
 *
 * @author apiforge
 */
public final class Backfill {

	/** How often progress is logged at most. */
	public static final Duration LOG_INTERVAL = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(Backfill.class);

	private static final String LOCK_NOT_AVAILABLE = "55P03";

	private static final String QUERY_CANCELED = "57014";

	private final String table;

	private @Nullable String key;

	private @Nullable String set;

	private @Nullable String where;

	private int batchSize = 1000;

	private Duration lockTimeout = Duration.ofSeconds(2);

	private Duration statementTimeout = Duration.ofSeconds(30);

	private Duration pause = Duration.ofMillis(50);

	private int retries = 10;

	private Backfill(String table) {
		this.table = table;
	}

	/**
	 * Start describing a backfill of a table.
	 * @param table the table, as it is in the catalog (mixed case as it is; the
	 * backfill quotes it), qualified by its schema ({@code sales.orders}) or not (then
	 * found through the {@code search_path} of Flyway's connection)
	 * @return the backfill
	 */
	public static Backfill table(String table) {
		Assert.hasText(table, "'table' must not be empty");
		return new Backfill(table);
	}

	/**
	 * Set the column the batches walk in order: unique, not null and indexed, such as the
	 * primary key.
	 * @param column the column, as it is in the catalog
	 * @return this backfill
	 */
	public Backfill key(String column) {
		Assert.hasText(column, "'column' must not be empty");
		this.key = column;
		return this;
	}

	/**
	 * Set what each row gets: the {@code SET} clause of the update, without
	 * {@code SET}.
	 * @param assignments such as {@code full_name = first_name || ' ' || last_name}
	 * @return this backfill
	 */
	public Backfill set(String assignments) {
		Assert.hasText(assignments, "'assignments' must not be empty");
		this.set = assignments;
		return this;
	}

	/**
	 * Set which rows need the change, so that a row the application has already written
	 * is left alone.
	 * @param condition a condition on the table's columns, such as
	 * {@code full_name IS NULL}
	 * @return this backfill
	 */
	public Backfill where(String condition) {
		Assert.hasText(condition, "'condition' must not be empty");
		this.where = condition;
		return this;
	}

	/**
	 * Set how many keys a batch walks past (1000 by default).
	 * @param batchSize at least 1
	 * @return this backfill
	 */
	public Backfill batchSize(int batchSize) {
		Assert.isTrue(batchSize > 0, "'batchSize' must be at least 1");
		this.batchSize = batchSize;
		return this;
	}

	/**
	 * Set how long a batch waits for a row another transaction holds before it gives up
	 * and tries again (2 s by default).
	 * @param lockTimeout positive
	 * @return this backfill
	 */
	public Backfill lockTimeout(Duration lockTimeout) {
		Assert.isTrue(lockTimeout != null && lockTimeout.toMillis() > 0, "'lockTimeout' must be positive");
		this.lockTimeout = lockTimeout;
		return this;
	}

	/**
	 * Set how long one batch's statement may run (30 s by default).
	 * @param statementTimeout positive
	 * @return this backfill
	 */
	public Backfill statementTimeout(Duration statementTimeout) {
		Assert.isTrue(statementTimeout != null && statementTimeout.toMillis() > 0,
				"'statementTimeout' must be positive");
		this.statementTimeout = statementTimeout;
		return this;
	}

	/**
	 * Set the pause between two batches (50 ms by default), which leaves the database
	 * time for the application's own work and for replication to keep up.
	 * @param pause zero or positive
	 * @return this backfill
	 */
	public Backfill pause(Duration pause) {
		Assert.isTrue(pause != null && !pause.isNegative(), "'pause' must not be negative");
		this.pause = pause;
		return this;
	}

	/**
	 * Set how many times in a row a batch that could not lock its rows is tried again
	 * (10 by default).
	 * @param retries zero or more
	 * @return this backfill
	 */
	public Backfill retries(int retries) {
		Assert.isTrue(retries >= 0, "'retries' must not be negative");
		this.retries = retries;
		return this;
	}

	/**
	 * Run the backfill on the migration's connection, resuming from its checkpoint.
	 * @param context the migration's context (a migration that runs outside a
	 * transaction)
	 * @return how far it got: every row
	 * @throws SQLException when a batch fails for another reason than a lock
	 * @throws MigrationsException when the migration runs inside a transaction, or a
	 * batch could not lock its rows after every retry, or ran out of time
	 */
	public BackfillProgress run(Context context) throws SQLException {
		Assert.state(this.key != null, "A backfill needs its key column: call key(\"id\")");
		Assert.state(this.set != null, "A backfill needs what to set: call set(\"column = expression\")");
		Configuration configuration = context.getConfiguration();
		Connection connection = context.getConnection();
		if (!connection.getAutoCommit()) {
			throw new MigrationsException("The backfill of " + this.table + " runs inside the migration's transaction, "
					+ "so its batches would commit nothing until the end and hold every row's lock",
					"Run it from a migration that returns false from canExecuteInTransaction() (extend "
							+ BackfillMigration.class.getSimpleName() + ", which does).",
					null);
		}
		BackfillCheckpoints checkpoints = new BackfillCheckpoints(SchemaHistory.defaultSchemaOf(configuration),
				configuration.getTable());
		checkpoints.createIfMissing(connection);
		return new Batches(connection, checkpoints, listener(configuration)).run();
	}

	private static @Nullable BackfillProgressListener listener(Configuration configuration) {
		return Arrays.stream(configuration.getCallbacks())
			.filter(BackfillProgressListener.class::isInstance)
			.map(BackfillProgressListener.class::cast)
			.findFirst()
			.orElse(null);
	}

	/**
	 * The name of the checkpoint: the table and what is done to it, so that a backfill
	 * whose statement changed starts again rather than resume another's.
	 */
	String name() {
		String what = this.table + "|" + this.key + "|" + this.set + "|" + Objects.toString(this.where, "");
		return this.table + ":" + HexFormat.of()
			.formatHex(DigestUtils.md5Digest(what.getBytes(StandardCharsets.UTF_8)))
			.substring(0, 12);
	}

	/**
	 * One run of the batches.
	 */
	private final class Batches {

		private final Connection connection;

		private final BackfillCheckpoints checkpoints;

		private final @Nullable BackfillProgressListener listener;

		private final String name = name();

		private final String quotedTable = SqlIdentifiers.quoteQualified(Backfill.this.table);

		private final String quotedKey = SqlIdentifiers.quote(Objects.requireNonNull(Backfill.this.key));

		private long lastLogged = System.nanoTime();

		Batches(Connection connection, BackfillCheckpoints checkpoints, @Nullable BackfillProgressListener listener) {
			this.connection = connection;
			this.checkpoints = checkpoints;
			this.listener = listener;
		}

		BackfillProgress run() throws SQLException {
			String keyType = keyType();
			long estimated = estimate();
			BackfillCheckpoints.Checkpoint checkpoint = this.checkpoints.read(this.connection, this.name);
			if (checkpoint != null) {
				logger.info("Backfill of " + Backfill.this.table + " resumes after key " + checkpoint.lastKey() + " ("
						+ checkpoint.rowsScanned() + " rows done in " + checkpoint.batches() + " batches before)");
			}
			else {
				logger.info("Backfill of " + Backfill.this.table + ": "
						+ ((estimated < 0) ? "an unknown number of rows (the table was never analysed)"
								: "about " + estimated + " rows")
						+ ", in batches of " + Backfill.this.batchSize);
			}
			BackfillProgress progress = new BackfillProgress(Backfill.this.table,
					(checkpoint != null) ? checkpoint.rowsScanned() : 0,
					(checkpoint != null) ? checkpoint.rowsUpdated() : 0, estimated,
					(checkpoint != null) ? checkpoint.batches() : 0);
			String lastKey = (checkpoint != null) ? checkpoint.lastKey() : null;
			while (true) {
				BatchResult batch = batchWithRetries(lastKey, keyType, progress);
				if (batch == null) {
					break;
				}
				lastKey = batch.lastKey();
				progress = new BackfillProgress(progress.table(), progress.rowsScanned() + batch.scanned(),
						progress.rowsUpdated() + batch.updated(), estimated, progress.batches() + 1);
				report(progress, false);
				pause();
			}
			this.checkpoints.remove(this.connection, this.name);
			report(progress, true);
			return progress;
		}

		private @Nullable BatchResult batchWithRetries(@Nullable String lastKey, String keyType,
				BackfillProgress progress) throws SQLException {
			for (int attempt = 0;; attempt++) {
				try {
					return batch(lastKey, keyType, progress);
				}
				catch (SQLException ex) {
					if (LOCK_NOT_AVAILABLE.equals(ex.getSQLState()) && attempt < Backfill.this.retries) {
						logger.debug("Backfill of " + Backfill.this.table + ": a batch waited longer than "
								+ Backfill.this.lockTimeout + " for a row lock; trying again");
						pause();
						continue;
					}
					throw describe(ex, lastKey);
				}
			}
		}

		/**
		 * One batch in one transaction: the keys it walks past, the update of those that
		 * match, the checkpoint. Returns {@code null} when no key is left.
		 */
		private @Nullable BatchResult batch(@Nullable String lastKey, String keyType, BackfillProgress progress)
				throws SQLException {
			// The key as text under a name of its own: ORDER BY the key's name must sort
			// by the key's type, not by its text.
			String selectKeys = "SELECT " + this.quotedKey + "::text AS backfill_key FROM " + this.quotedTable
					+ ((lastKey != null) ? " WHERE " + this.quotedKey + " > CAST(? AS " + keyType + ")" : "")
					+ " ORDER BY " + this.quotedKey + " LIMIT " + Backfill.this.batchSize;
			this.connection.setAutoCommit(false);
			boolean committed = false;
			try {
				try (Statement statement = this.connection.createStatement()) {
					statement.execute("SET LOCAL lock_timeout = " + Backfill.this.lockTimeout.toMillis());
					statement.execute("SET LOCAL statement_timeout = " + Backfill.this.statementTimeout.toMillis());
				}
				String first = null;
				String last = null;
				int scanned = 0;
				try (PreparedStatement keys = this.connection.prepareStatement(selectKeys)) {
					if (lastKey != null) {
						keys.setString(1, lastKey);
					}
					try (ResultSet result = keys.executeQuery()) {
						while (result.next()) {
							if (first == null) {
								first = result.getString(1);
							}
							last = result.getString(1);
							scanned++;
						}
					}
				}
				if (last == null) {
					this.connection.commit();
					committed = true;
					return null;
				}
				int updated;
				try (PreparedStatement update = this.connection.prepareStatement("UPDATE " + this.quotedTable
						+ " SET " + Backfill.this.set + " WHERE " + this.quotedKey + " >= CAST(? AS " + keyType
						+ ") AND " + this.quotedKey + " <= CAST(? AS " + keyType + ")"
						+ ((Backfill.this.where != null) ? " AND (" + Backfill.this.where + ")" : ""))) {
					update.setString(1, first);
					update.setString(2, last);
					updated = update.executeUpdate();
				}
				this.checkpoints.write(this.connection, this.name, new BackfillCheckpoints.Checkpoint(last,
						progress.rowsScanned() + scanned, progress.rowsUpdated() + updated, progress.batches() + 1));
				this.connection.commit();
				committed = true;
				return new BatchResult(last, scanned, updated);
			}
			finally {
				if (!committed) {
					this.connection.rollback();
				}
				this.connection.setAutoCommit(true);
			}
		}

		private MigrationsException describe(SQLException ex, @Nullable String lastKey) {
			String where = "after key " + ((lastKey != null) ? lastKey : "<start>");
			if (LOCK_NOT_AVAILABLE.equals(ex.getSQLState())) {
				return new MigrationsException("The backfill of " + Backfill.this.table + " could not lock the rows of "
						+ "its batch " + where + " within " + Backfill.this.lockTimeout + ", " + (Backfill.this.retries + 1)
						+ " times in a row: another transaction holds them",
						"Find the long transaction (pg_stat_activity, pg_locks) or raise lockTimeout/retries; start "
								+ "again: the backfill resumes " + where + ".",
						ex);
			}
			if (QUERY_CANCELED.equals(ex.getSQLState())) {
				return new MigrationsException("A batch of the backfill of " + Backfill.this.table + " " + where
						+ " ran longer than its statement timeout (" + Backfill.this.statementTimeout + ")",
						"Lower batchSize (" + Backfill.this.batchSize + ") or raise statementTimeout; start again: the "
								+ "backfill resumes " + where + ".",
						ex);
			}
			return new MigrationsException("A batch of the backfill of " + Backfill.this.table + " " + where
					+ " failed: " + ex.getMessage(),
					"Fix the cause; start again: the batches that committed stay done and the backfill resumes " + where
							+ ".",
					ex);
		}

		private String keyType() throws SQLException {
			try (PreparedStatement statement = this.connection.prepareStatement("SELECT format_type(a.atttypid, "
					+ "a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass(?) AND a.attname = ? "
					+ "AND NOT a.attisdropped")) {
				statement.setString(1, this.quotedTable);
				statement.setString(2, Backfill.this.key);
				try (ResultSet result = statement.executeQuery()) {
					if (!result.next()) {
						throw new MigrationsException("The backfill's table " + Backfill.this.table
								+ " has no column " + Backfill.this.key + " (or the table does not exist)",
								"Name the table and its key column as they are in the catalog, such as "
										+ "Backfill.table(\"usertable\").key(\"id\"); qualify the table with its "
										+ "schema when it is not on the search_path.",
								null);
					}
					return result.getString(1);
				}
			}
		}

		private long estimate() throws SQLException {
			try (PreparedStatement statement = this.connection
				.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
				statement.setString(1, this.quotedTable);
				try (ResultSet result = statement.executeQuery()) {
					return result.next() ? result.getLong(1) : -1;
				}
			}
		}

		private void report(BackfillProgress progress, boolean finished) {
			if (this.listener != null) {
				this.listener.backfillProgressed(progress);
			}
			long now = System.nanoTime();
			if (finished || now - this.lastLogged >= LOG_INTERVAL.toNanos()) {
				this.lastLogged = now;
				logger.info("Backfill of " + Backfill.this.table + (finished ? " finished: " : ": ")
						+ progress.rowsScanned() + " rows walked"
						+ ((!finished && progress.rowsLeft() >= 0) ? " (about " + progress.rowsLeft() + " left)" : "")
						+ ", " + progress.rowsUpdated() + " updated, in " + progress.batches() + " batches");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Backfill of " + Backfill.this.table + ": " + progress);
			}
		}

		private void pause() {
			if (Backfill.this.pause.isZero()) {
				return;
			}
			try {
				Thread.sleep(Backfill.this.pause.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new MigrationsException("The backfill of " + Backfill.this.table + " was interrupted",
						"Start again: it resumes after the last batch that committed.", ex);
			}
		}

	}

	private record BatchResult(String lastKey, int scanned, int updated) {

	}

}
