/**
 * The in-memory status of the schema and of the last lifecycle run: what the endpoint and
 * the health contributor read, so that they never touch the classpath or run Flyway.
 */
@NullMarked
package io.apiforge.migrations.status;

import org.jspecify.annotations.NullMarked;
