/**
 * The {@code migrations} health contributor: whether the schema is where this
 * application expects it, for readiness probes.
 */
@NullMarked
package io.apiforge.migrations.health;

import org.jspecify.annotations.NullMarked;
