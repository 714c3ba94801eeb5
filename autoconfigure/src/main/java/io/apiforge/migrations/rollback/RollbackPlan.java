package io.apiforge.migrations.rollback;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a rollback to a target would do, checked before anything is touched.
 *
 * @param currentVersion the schema's version now, or {@code null} when none is applied
 * @param target the target as asked ({@code base} or a version)
 * @param steps the versions to undo, newest first
 * @param problems why the rollback cannot run; empty when it can
 * @author apiforge
 */
public record RollbackPlan(@Nullable String currentVersion, String target, List<RollbackStep> steps,
		List<String> problems) {

	/**
	 * Return whether the rollback can run.
	 * @return whether there is no problem
	 */
	public boolean isPossible() {
		return this.problems.isEmpty();
	}

}
