/**
 * Rollback to a target version with undo scripts: the convention that names them, the
 * plan that checks every step before anything is touched, and the execution that undoes
 * one version per transaction, keeping the schema history truthful.
 */
@NullMarked
package io.apiforge.migrations.rollback;

import org.jspecify.annotations.NullMarked;
