/**
 * Batched backfills for data migrations: a table updated in key order, one short
 * transaction per batch, with a checkpoint that lets a restarted migration resume where
 * the last committed batch stopped.
 */
@NullMarked
package io.apiforge.migrations.backfill;

import org.jspecify.annotations.NullMarked;
