package io.apiforge.sample.benchmark;

import java.nio.file.Path;

/**
 * One case of the start-up benchmark: what it is called, where its migrations are, how
 * many successful migrations the history must hold after each start, its targets, and
 * whether the baseline backs up by hand first.
 *
 * @param label what the report calls it
 * @param migrations the directory of its migrations ({@code spring.flyway.locations})
 * @param expectedApplied the successful rows of the history after a start
 * @param wallTarget the most the starter's wall time may be, over the baseline's
 * @param peakTarget the most its peak memory may be, over the baseline's, or 0 for none
 * @param backup whether the starter backs up and the baseline runs {@code pg_dump} first
 * @author apiforge
 */
record StartupCase(String label, Path migrations, int expectedApplied, double wallTarget, double peakTarget,
		boolean backup) {

}
