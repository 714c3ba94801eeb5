/**
 * The replica registry: every running instance of the application records itself in a
 * table beside the schema history table and refreshes its row on a heartbeat, so that a
 * change that would break an older version (a contract migration) can wait until no live
 * instance still expects an older schema.
 */
@NullMarked
package io.apiforge.migrations.replicas;

import org.jspecify.annotations.NullMarked;
