/**
 * A benchmark of the starter's read paths, run on request only (the {@code benchmark}
 * Maven profile; see {@code docs/performance.md}): the sample app with a thousand
 * migrations or more ({@code benchmark.migrations}), {@code /actuator/health} with and without the {@code migrations}
 * contributor, and {@code /actuator/migrations} against Spring Boot's
 * {@code /actuator/flyway}. It is not a test: it measures side by side in one run,
 * prints the ratios and asserts no time.
 */
@NullMarked
package io.apiforge.sample.benchmark;

import org.jspecify.annotations.NullMarked;
