/**
 * The migration lock: replicas that start together queue up behind one another, so that
 * only one backs up and migrates. The built-in lock is a PostgreSQL session advisory lock.
 */
@NullMarked
package io.apiforge.migrations.lock;

import org.jspecify.annotations.NullMarked;
