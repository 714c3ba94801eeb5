package io.apiforge.sample.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

import io.apiforge.migrations.rollback.UndoableJavaMigration;

/**
 * Version 3: adds {@code usertable.full_name}, fills it from the first and last names in
 * batches, then makes it mandatory. Filling in batches keeps every statement small on a
 * large table and shows progress in the log; the batches run in Flyway's transaction for
 * this migration, so a failure leaves nothing behind.
 * <p>
 * A Spring bean rather than a class found by Flyway's classpath scanning: Spring Boot
 * passes {@code JavaMigration} beans to Flyway, which works in an executable jar too.
 *
 * @author apiforge
 */
@Component
public class V3__FillFullName extends BaseJavaMigration implements UndoableJavaMigration {

	/** The number of rows filled by one statement, unless another is given. */
	public static final int DEFAULT_BATCH_SIZE = 1000;

	private static final Log logger = LogFactory.getLog(V3__FillFullName.class);

	private static final String FILL_BATCH = """
			UPDATE usertable
			SET full_name = trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))
			WHERE id IN (SELECT id FROM usertable WHERE full_name IS NULL LIMIT ?)""";

	private final int batchSize;

	/**
	 * Create the migration with the {@linkplain #DEFAULT_BATCH_SIZE default batch size}.
	 */
	public V3__FillFullName() {
		this(DEFAULT_BATCH_SIZE);
	}

	/**
	 * Create the migration with the given batch size.
	 * @param batchSize the number of rows one statement fills, at least 1
	 */
	public V3__FillFullName(int batchSize) {
		Assert.isTrue(batchSize > 0, () -> "'batchSize' must be positive, but was " + batchSize);
		this.batchSize = batchSize;
	}

	@Override
	public String getDescription() {
		return "fill full name";
	}

	@Override
	public void migrate(Context context) throws SQLException {
		Connection connection = context.getConnection();
		try (Statement statement = connection.createStatement()) {
			statement.execute("ALTER TABLE usertable ADD COLUMN full_name TEXT");
		}
		long total = count(connection);
		logger.info("Filling usertable.full_name for " + total + " rows in batches of " + this.batchSize);
		long done = 0;
		try (PreparedStatement fill = connection.prepareStatement(FILL_BATCH)) {
			fill.setInt(1, this.batchSize);
			int updated;
			while ((updated = fill.executeUpdate()) > 0) {
				done += updated;
				logger.info("Filled usertable.full_name: " + done + "/" + total + " rows");
			}
		}
		try (Statement statement = connection.createStatement()) {
			statement.execute("ALTER TABLE usertable ALTER COLUMN full_name SET NOT NULL");
		}
	}

	/**
	 * Undo: drop the column. The names it held come from first and last names, so a
	 * later migrate fills it again the same way.
	 */
	@Override
	public void undo(Context context) throws SQLException {
		try (Statement statement = context.getConnection().createStatement()) {
			statement.execute("ALTER TABLE usertable DROP COLUMN full_name");
		}
	}

	private static long count(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT count(*) FROM usertable WHERE full_name IS NULL")) {
			result.next();
			return result.getLong(1);
		}
	}

}
