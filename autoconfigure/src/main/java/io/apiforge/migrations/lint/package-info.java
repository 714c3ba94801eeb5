/**
 * Migration safety lint for PostgreSQL: reads pending SQL migrations before they run and
 * reports the statements that lock a busy table for long or break the application
 * version still running (a non-concurrent index, a column type change, a dropped
 * column, …), each with the safe recipe. Used at start-up by the lifecycle, by the
 * {@code migrations} endpoint, and by users' own tests through {@link MigrationLint}.
 */
@NullMarked
package io.apiforge.migrations.lint;

import org.jspecify.annotations.NullMarked;
