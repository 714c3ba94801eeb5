/**
 * Dry runs: what a migrate or a rollback would do (steps, SQL, transactions, estimates,
 * undo coverage, the backup), computed without changing anything.
 */
@NullMarked
package io.apiforge.migrations.plan;

import org.jspecify.annotations.NullMarked;
