/**
 * The application the start-up benchmark starts, in a child JVM of its own per start,
 * with or without the starter on its classpath.
 */
@NullMarked
package io.apiforge.sample.benchmark.startup;

import org.jspecify.annotations.NullMarked;
