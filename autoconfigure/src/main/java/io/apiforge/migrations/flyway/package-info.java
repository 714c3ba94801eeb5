/**
 * The one place that reaches into Flyway's internal classes
 * ({@code org.flywaydb.core.internal..}), where its public API has no equivalent. A
 * Flyway release may move or change them without notice; keeping them in one class makes
 * that one class to fix, and its test says which internal moved in which Flyway version.
 */
@NullMarked
package io.apiforge.migrations.flyway;

import org.jspecify.annotations.NullMarked;
