/**
 * The embedded PostgreSQL the demo runs on when no {@code spring.datasource.url} is
 * given: started from zonky's binaries, its data kept in a directory the user can see,
 * so that a second start finds the schema already migrated.
 */
@NullMarked
package io.apiforge.sample.embedded;

import org.jspecify.annotations.NullMarked;
