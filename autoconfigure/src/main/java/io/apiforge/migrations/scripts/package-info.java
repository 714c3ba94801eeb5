/**
 * Reading migration scripts from Flyway's locations, on request, for people who want to
 * see what ran or will run.
 */
@NullMarked
package io.apiforge.migrations.scripts;

import org.jspecify.annotations.NullMarked;
