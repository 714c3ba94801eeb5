/**
 * What the lock and the backup need to know about the application's data source: its
 * URL and credentials, and a connection outside its pool; and the small text helpers
 * (SQL identifiers, JSON strings) the packages above share.
 */
@NullMarked
package io.apiforge.migrations.jdbc;

import org.jspecify.annotations.NullMarked;
