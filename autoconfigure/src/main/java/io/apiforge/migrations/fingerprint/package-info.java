/**
 * The schema fingerprint: a normalised, ordered description of the schemas the migrations
 * manage, read from PostgreSQL's catalog with its own functions, written to and read from
 * JSON, and compared object by object. The foundation of drift detection and of the test
 * kit's round trips; it holds no policy of its own (when to read, where to store, what
 * to do about a difference).
 */
@NullMarked
package io.apiforge.migrations.fingerprint;

import org.jspecify.annotations.NullMarked;
