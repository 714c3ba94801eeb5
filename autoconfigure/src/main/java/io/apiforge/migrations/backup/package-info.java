/**
 * Backups taken before pending migrations run: the {@link io.apiforge.migrations.backup.BackupStrategy}
 * SPI, what it is given and what it returns, and the built-in strategies.
 */
@NullMarked
package io.apiforge.migrations.backup;

import org.jspecify.annotations.NullMarked;
