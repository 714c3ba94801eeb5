/**
 * The application events of the migration lifecycle: a run started, completed, failed or
 * was refused (migrations and rollbacks share {@link io.apiforge.migrations.events.MigrationRunEvent}),
 * and backups. Listeners (metrics, logs, a user's own) read them; nothing here acts.
 */
@NullMarked
package io.apiforge.migrations.events;

import org.jspecify.annotations.NullMarked;
