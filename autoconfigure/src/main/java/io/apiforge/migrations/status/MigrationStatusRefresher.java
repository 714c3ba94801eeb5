package io.apiforge.migrations.status;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Keeps the status fresh for its readers at a bounded cost: a status younger than the
 * refresh interval is returned as it is (no query); an older one is brought up to date
 * with one cheap query on the schema history table, so that a migration done by another
 * replica shows up. It never asks Flyway (no classpath scan).
 *
 * @author apiforge
 */
public class MigrationStatusRefresher {

	private static final Log logger = LogFactory.getLog(MigrationStatusRefresher.class);

	private final MigrationStatusHolder holder;

	private final DataSource dataSource;

	private final String historyTable;

	private final Duration refreshInterval;

	private final Clock clock;

	private final ReentrantLock refreshing = new ReentrantLock();

	/**
	 * Create a refresher.
	 * @param holder the status
	 * @param dataSource the database Flyway migrates
	 * @param historyTable the schema history table, qualified by its schema when one is
	 * configured
	 * @param refreshInterval how old the status may get before it is refreshed
	 * @param clock the clock
	 */
	public MigrationStatusRefresher(MigrationStatusHolder holder, DataSource dataSource, String historyTable,
			Duration refreshInterval, Clock clock) {
		Assert.notNull(holder, "'holder' must not be null");
		Assert.notNull(dataSource, "'dataSource' must not be null");
		Assert.hasText(historyTable, "'historyTable' must not be empty");
		Assert.notNull(refreshInterval, "'refreshInterval' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		this.holder = holder;
		this.dataSource = dataSource;
		this.historyTable = historyTable;
		this.refreshInterval = refreshInterval;
		this.clock = clock;
	}

	/**
	 * Return the status, refreshed from the history table if it is older than the
	 * refresh interval. A status the lifecycle has not produced yet
	 * ({@link SchemaState#UNKNOWN}) is returned as it is: there is nothing to refresh.
	 * One reader refreshes at a time; readers that find a refresh under way get the
	 * status as it is rather than queue up or query too.
	 * @return the status
	 */
	public MigrationStatus current() {
		MigrationStatus status = this.holder.current();
		if (!isStale(status) || !this.refreshing.tryLock()) {
			return status;
		}
		try {
			MigrationStatus latest = this.holder.current();
			if (isStale(latest)) {
				refresh(latest.schema());
			}
		}
		finally {
			this.refreshing.unlock();
		}
		return this.holder.current();
	}

	/**
	 * Return the run in progress in this application, as far as it has got; never a
	 * query.
	 * @return the run, or {@code null} when none is in progress
	 * @see MigrationStatusHolder#running()
	 */
	public @Nullable RunningOperation running() {
		return this.holder.running();
	}

	/**
	 * Return the result of the last drift check; never a query.
	 * @return the result, or {@code null} when none has run
	 * @see MigrationStatusHolder#drift()
	 */
	public @Nullable DriftSummary drift() {
		return this.holder.drift();
	}

	/**
	 * Whether the status is due for a refresh: the last read of the database, successful
	 * or not, is older than the interval. A failed read counts, so that a database
	 * outage costs one query per interval, not one per reader.
	 */
	private boolean isStale(MigrationStatus status) {
		SchemaSnapshot schema = status.schema();
		if (schema.state() == SchemaState.UNKNOWN) {
			return false;
		}
		Instant lastRead = schema.inspectedAt();
		if (status.refreshFailure() != null && status.refreshFailure().at().isAfter(lastRead)) {
			lastRead = status.refreshFailure().at();
		}
		return Duration.between(lastRead, this.clock.instant()).compareTo(this.refreshInterval) >= 0;
	}

	private void refresh(SchemaSnapshot schema) {
		Instant now = this.clock.instant();
		try {
			SchemaHistory history = SchemaHistory.read(this.dataSource, this.historyTable);
			this.holder.refreshSchema(schema, schema.withHistory(history, now));
		}
		catch (SQLException ex) {
			logger.debug("Could not refresh the migration status from " + this.historyTable
					+ "; keeping the status of " + schema.inspectedAt(), ex);
			String error = (ex.getMessage() != null) ? ex.getMessage().strip().split("\\R")[0] : ex.toString();
			this.holder.refreshFailed(schema, new MigrationStatus.RefreshFailure(now, error));
		}
	}

}
