/**
 * Drift detection: the fingerprint of the schema stored after each run (a table beside
 * the schema history table), the live catalog compared with the stored reference of the
 * current version under the migration lock, the start-up check, an operator's accept,
 * and the periodic check whose result health and metrics read.
 */
@NullMarked
package io.apiforge.migrations.drift;

import org.jspecify.annotations.NullMarked;
