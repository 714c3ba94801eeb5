package io.apiforge.sample.migration;

import java.time.Duration;

import org.flywaydb.core.api.migration.Context;

import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

import io.apiforge.migrations.backfill.Backfill;
import io.apiforge.migrations.backfill.BackfillMigration;
import io.apiforge.migrations.rollback.UndoableJavaMigration;

/**
 * Version 3: fills {@code usertable.full_name} (added by V2.1) from the first and last
 * names, with the starter's batched backfill: a batch of rows per transaction, each with
 * a lock timeout, so that the application keeps reading and writing the table while it
 * runs, and a checkpoint, so that a start after a crash resumes after the last batch.
 * Rows the application wrote meanwhile already have their full name and are skipped.
 * <p>
 * A Spring bean rather than a class found by Flyway's classpath scanning: Spring Boot
 * passes {@code JavaMigration} beans to Flyway, which works in an executable jar too.
 *
 * @author apiforge
 */
@Component
public class V3__FillFullName extends BackfillMigration implements UndoableJavaMigration {

	/** The number of rows one batch walks, unless another is given. */
	public static final int DEFAULT_BATCH_SIZE = 1000;

	private final int batchSize;

	/**
	 * Create the migration with the {@linkplain #DEFAULT_BATCH_SIZE default batch size}.
	 */
	public V3__FillFullName() {
		this(DEFAULT_BATCH_SIZE);
	}

	/**
	 * Create the migration with the given batch size.
	 * @param batchSize the number of rows one batch walks, at least 1
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
	protected Backfill backfill() {
		return Backfill.table("usertable")
			.key("id")
			.set("full_name = trim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))")
			.where("full_name IS NULL")
			.batchSize(this.batchSize)
			.lockTimeout(Duration.ofSeconds(2));
	}

	/**
	 * Undo: nothing to do. The values it filled are derived from the first and last names
	 * and live in the column V2.1 added; undoing V2.1 drops them with the column, and
	 * migrating again fills only the rows that have none.
	 */
	@Override
	public void undo(Context context) {
	}

}
