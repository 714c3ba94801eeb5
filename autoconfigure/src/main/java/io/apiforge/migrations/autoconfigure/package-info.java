/**
 * The wiring: auto-configuration, configuration properties, the environment post-processor
 * of the {@code migrate-and-exit} mode and the failure analysis. Nothing outside this
 * package depends on it.
 */
@NullMarked
package io.apiforge.migrations.autoconfigure;

import org.jspecify.annotations.NullMarked;
