package io.apiforge.migrations.status;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The last drift check, in the few numbers health and metrics show: never a query of
 * theirs.
 *
 * @param status what the check found ({@link DriftStatus#SKIPPED} is never recorded: a
 * skipped check keeps the previous result)
 * @param version the version whose reference was compared, or {@code null} for an empty
 * schema
 * @param checkedAt when the check ran
 * @param schemaObjects how many objects differ in the schema's shape
 * @param privilegesObjects how many grants and owners differ
 * @author apiforge
 */
public record DriftSummary(DriftStatus status, @Nullable String version, Instant checkedAt, int schemaObjects,
		int privilegesObjects) {

	/**
	 * Create a summary.
	 * @param status what the check found
	 * @param version the version compared
	 * @param checkedAt when the check ran
	 * @param schemaObjects how many objects differ in the schema's shape
	 * @param privilegesObjects how many grants and owners differ
	 */
	public DriftSummary {
		Assert.notNull(status, "'status' must not be null");
		Assert.notNull(checkedAt, "'checkedAt' must not be null");
	}

}
