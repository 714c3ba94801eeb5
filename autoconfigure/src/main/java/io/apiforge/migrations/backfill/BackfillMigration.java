package io.apiforge.migrations.backfill;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A Java migration that is a batched backfill: it runs outside Flyway's transaction
 * (each batch commits on its own) and resumes from its checkpoint when run again after
 * an interruption. Name it like any Java migration ({@code V4__fill_full_name}) and
 * describe the backfill:
 *
 * <pre class="code">
 * public class V4__fill_full_name extends BackfillMigration {
 *
 *     &#64;Override
 *     protected Backfill backfill() {
 *         return Backfill.table("usertable").key("id")
 *             .set("full_name = first_name || ' ' || last_name")
 *             .where("full_name IS NULL");
 *     }
 *
 * }
 * </pre>
 *
 * Keep schema changes out of it (in the SQL migrations before and after): a migration
 * outside a transaction that fails half-way keeps what it did.
 *
 * @author apiforge
 */
public abstract class BackfillMigration extends BaseJavaMigration {

	/**
	 * Return the backfill this migration runs.
	 * @return the backfill
	 */
	protected abstract Backfill backfill();

	@Override
	public void migrate(Context context) throws Exception {
		backfill().run(context);
	}

	/**
	 * Return {@code false}: each batch commits on its own.
	 * @return {@code false}
	 */
	@Override
	public boolean canExecuteInTransaction() {
		return false;
	}

}
