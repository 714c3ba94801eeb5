package io.apiforge.migrations.status;

/**
 * Hears a batched backfill's progress from inside a running migration. The starter adds
 * one to the Flyway configuration (as a callback), where a backfill finds it through the
 * migration's {@code Context}.
 *
 * @author apiforge
 */
public interface BackfillProgressListener {

	/**
	 * Hear that a batch committed.
	 * @param progress how far the backfill has got
	 */
	void backfillProgressed(BackfillProgress progress);

}
