package io.apiforge.migrations.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.util.Assert;

import io.apiforge.migrations.jdbc.SqlIdentifiers;
import io.apiforge.migrations.jdbc.SqlStates;

/**
 * One page of the schema history table, newest first, read on request with one query.
 * The rows are the table's own, so a page is always current: a migration applied by
 * another instance, a failure, or a row a rollback removed shows as the table says,
 * whatever the cached status holds. The query walks the table's primary key
 * ({@code installed_rank}) backwards and counts the rows in the same statement, so the
 * page and the total come from one snapshot of the table.
 *
 * @param content the rows of the page, highest installed rank first; a row's
 * {@link MigrationSummary#state() state} is what the table records, {@code SUCCESS} or
 * {@code FAILED}
 * @param page the page's number, from 0
 * @param size the most rows a page holds
 * @param totalElements how many rows the table holds
 * @author apiforge
 */
public record SchemaHistoryPage(List<MigrationSummary> content, int page, int size, long totalElements) {

	/**
	 * Return how many pages the table fills.
	 * @return the number of pages, 0 for an empty table
	 */
	public long totalPages() {
		return (this.totalElements + this.size - 1) / this.size;
	}

	/**
	 * Read one page of the history table.
	 * @param dataSource the database
	 * @param table the schema history table, qualified by its schema when Flyway's is
	 * configured (see {@link SchemaHistory#tableOf})
	 * @param page the page's number, from 0
	 * @param size the most rows a page holds, at least 1
	 * @return the page; empty, with a total of 0, when the table does not exist yet
	 * @throws SQLException when the database cannot be read
	 */
	public static SchemaHistoryPage read(DataSource dataSource, String table, int page, int size) throws SQLException {
		Assert.isTrue(page >= 0, "'page' must not be negative");
		Assert.isTrue(size >= 1, "'size' must be at least 1");
		String quoted = SqlIdentifiers.quoteQualified(table);
		// The left join keeps the count when the page is past the last row
		String sql = "WITH page AS (SELECT installed_rank, version, description, type, script, checksum, installed_by, "
				+ "installed_on, execution_time, success FROM " + quoted
				+ " ORDER BY installed_rank DESC LIMIT ? OFFSET ?) "
				+ "SELECT total.n, page.* FROM (SELECT count(*) AS n FROM " + quoted + ") total "
				+ "LEFT JOIN page ON true ORDER BY page.installed_rank DESC";
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setInt(1, size);
			statement.setLong(2, (long) page * size);
			try (ResultSet result = statement.executeQuery()) {
				List<MigrationSummary> content = new ArrayList<>();
				long total = 0;
				while (result.next()) {
					total = result.getLong("n");
					if (result.getObject("installed_rank") != null) {
						content.add(row(result));
					}
				}
				return new SchemaHistoryPage(List.copyOf(content), page, size, total);
			}
			catch (SQLException ex) {
				if (SqlStates.isUndefinedTable(ex)) {
					return new SchemaHistoryPage(List.of(), page, size, 0);
				}
				throw ex;
			}
		}
	}

	/**
	 * Read the rows added to the history table after a rank, oldest first.
	 * @param dataSource the database
	 * @param table the schema history table, qualified by its schema when Flyway's is
	 * configured (see {@link SchemaHistory#tableOf})
	 * @param rank the highest rank already known, {@code -1} for none (Flyway's row for
	 * the schemas it created has rank 0)
	 * @return the rows, each as {@link #content()} holds them
	 * @throws SQLException when the database cannot be read
	 */
	public static List<MigrationSummary> rowsAfter(DataSource dataSource, String table, int rank) throws SQLException {
		String sql = "SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on, "
				+ "execution_time, success FROM " + SqlIdentifiers.quoteQualified(table)
				+ " WHERE installed_rank > ? ORDER BY installed_rank";
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setInt(1, rank);
			try (ResultSet result = statement.executeQuery()) {
				List<MigrationSummary> rows = new ArrayList<>();
				while (result.next()) {
					rows.add(row(result));
				}
				return rows;
			}
		}
	}

	private static MigrationSummary row(ResultSet result) throws SQLException {
		boolean success = result.getBoolean("success");
		Integer checksum = (Integer) result.getObject("checksum");
		// As Flyway reads it (getTimestamp in the JVM's zone), so both agree on the instant
		Timestamp installedOn = result.getTimestamp("installed_on");
		return new MigrationSummary(result.getInt("installed_rank"), result.getString("version"),
				result.getString("description"), result.getString("script"), result.getString("type"),
				success ? "SUCCESS" : "FAILED", checksum, (installedOn != null) ? installedOn.toInstant() : null,
				result.getString("installed_by"), Duration.ofMillis(result.getInt("execution_time")));
	}

}
