package io.apiforge.migrations;

import java.time.Duration;
import java.util.Locale;

/**
 * Formats durations for people reading a log line or an error: {@code 250 ms},
 * {@code 1.2 s}, {@code 3 min 5 s}.
 *
 * @author apiforge
 */
public final class DurationFormat {

	private DurationFormat() {
	}

	/**
	 * Format a duration for people.
	 * @param duration the duration
	 * @return the formatted duration
	 */
	public static String format(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		long seconds = duration.toSeconds();
		return (seconds / 60) + " min " + (seconds % 60) + " s";
	}

}
