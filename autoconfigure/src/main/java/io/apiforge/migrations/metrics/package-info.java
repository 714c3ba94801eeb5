/**
 * Micrometer meters of the migration lifecycle, under the {@code migrations.} prefix.
 */
@NullMarked
package io.apiforge.migrations.metrics;

import org.jspecify.annotations.NullMarked;
