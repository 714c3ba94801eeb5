/**
 * Benchmarks run on request only (the {@code benchmark} Maven profile; see
 * {@code docs/performance.md}). The actuator benchmark ({@code ActuatorBenchmark}) measures
 * the starter's read paths: the sample app with a thousand migrations or more
 * ({@code benchmark.migrations}), {@code /actuator/health} with and without the
 * {@code migrations} contributor, and {@code /actuator/migrations} against Spring Boot's
 * {@code /actuator/flyway}. The start-up benchmark ({@code StartupBenchmark}) measures
 * whole-process starts with the starter against plain Spring Boot + Flyway. Neither is a
 * test: each measures side by side in one run, prints the ratios and asserts no time.
 */
@NullMarked
package io.apiforge.sample.benchmark;

import org.jspecify.annotations.NullMarked;
