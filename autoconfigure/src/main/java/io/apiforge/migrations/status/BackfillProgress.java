package io.apiforge.migrations.status;

/**
 * How far a batched backfill has got, told by the running migration after each batch.
 *
 * @param table the table being filled, as the migration names it
 * @param rowsScanned how many rows the batches have walked past, in key order
 * @param rowsUpdated how many of them a batch changed
 * @param rowsEstimated the planner's estimate of the table's rows, or -1 when it has none
 * (a table never analysed)
 * @param batches how many batches committed, counting those of an earlier, interrupted run
 * @author apiforge
 */
public record BackfillProgress(String table, long rowsScanned, long rowsUpdated, long rowsEstimated, long batches) {

	/**
	 * Return the rows left to walk past by the estimate, or -1 when there is none.
	 * @return the rows left, at least 0
	 */
	public long rowsLeft() {
		return (this.rowsEstimated < 0) ? -1 : Math.max(0, this.rowsEstimated - this.rowsScanned);
	}

}
