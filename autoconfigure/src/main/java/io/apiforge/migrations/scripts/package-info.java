/**
 * Helpers for migration scripts as Flyway sees them: reading them from Flyway's
 * locations, on request, and replacing Flyway's placeholders in them the way Flyway does,
 * for the lint and the rollback alike.
 */
@NullMarked
package io.apiforge.migrations.scripts;

import org.jspecify.annotations.NullMarked;
