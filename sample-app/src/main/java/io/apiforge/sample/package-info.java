/**
 * The demo application of the migrations starter. Its schema lives in
 * {@code db/migration} (SQL) and {@link io.apiforge.sample.migration} (Java); the
 * embedded database and the REST resource each have a package of their own.
 */
@NullMarked
package io.apiforge.sample;

import org.jspecify.annotations.NullMarked;
