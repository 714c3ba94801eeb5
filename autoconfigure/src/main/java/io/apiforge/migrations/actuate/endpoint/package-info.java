/**
 * The {@code migrations} actuator endpoint: where the schema is, what is pending or
 * failed, the applied history, the last run and the backups; and, when access is raised,
 * the operations an operator may run.
 */
@NullMarked
package io.apiforge.migrations.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
