/**
 * The backup that needs no binary: a consistent logical dump over the application's own
 * connection ({@link io.apiforge.migrations.backup.jdbc.JdbcBackupStrategy}), written as a
 * compressed plain SQL script that {@code psql} restores, and the {@code auto} choice
 * between it and {@code pg_dump}
 * ({@link io.apiforge.migrations.backup.jdbc.AutoBackupStrategy}).
 */
@NullMarked
package io.apiforge.migrations.backup.jdbc;

import org.jspecify.annotations.NullMarked;
