/**
 * Every operation on the schema (migrate, validate, back up, roll back, plan) behind one
 * facade, {@link io.apiforge.migrations.operations.MigrationOperations}; the ones that
 * change something run through one locked-run template,
 * {@link io.apiforge.migrations.operations.LockedRun}; the start-up mode dispatch. Above
 * the capabilities (lifecycle, rollback, plan); only the endpoint and the wiring use it.
 */
@NullMarked
package io.apiforge.migrations.operations;

import org.jspecify.annotations.NullMarked;
