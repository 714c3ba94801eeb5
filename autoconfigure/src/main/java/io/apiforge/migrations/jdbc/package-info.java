/**
 * What the lock and the backup need to know about the application's data source: its
 * URL and credentials, and a connection outside its pool.
 */
@NullMarked
package io.apiforge.migrations.jdbc;

import org.jspecify.annotations.NullMarked;
