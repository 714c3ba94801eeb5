/**
 * A small REST resource over the demo's users, on {@code JdbcTemplate}: enough to show
 * that the application works on the schema its migrations built.
 */
@NullMarked
package io.apiforge.sample.user;

import org.jspecify.annotations.NullMarked;
