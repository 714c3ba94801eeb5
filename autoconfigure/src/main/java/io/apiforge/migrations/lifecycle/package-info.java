/**
 * The start-up lifecycle: inspect, lock, back up, migrate, publish. Holds the
 * orchestrator, its modes, the events it publishes and the failures it reports.
 */
@NullMarked
package io.apiforge.migrations.lifecycle;

import org.jspecify.annotations.NullMarked;
