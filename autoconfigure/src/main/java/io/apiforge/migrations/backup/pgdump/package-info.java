/**
 * The built-in backup: PostgreSQL's {@code pg_dump} as a child process, with
 * verification, retention, a metadata sidecar per backup, and the way back
 * ({@link io.apiforge.migrations.backup.pgdump.BackupRestorer}).
 */
@NullMarked
package io.apiforge.migrations.backup.pgdump;

import org.jspecify.annotations.NullMarked;
