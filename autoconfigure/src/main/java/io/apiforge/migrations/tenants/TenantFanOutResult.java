package io.apiforge.migrations.tenants;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one fan-out did: every tenant's outcome, in the order they were started (canaries
 * first), and how long it took.
 *
 * @param tenants each tenant's status as the fan-out left it
 * @param duration how long the fan-out took
 * @param parallelism how many tenants it migrated at once
 * @author apiforge
 */
public record TenantFanOutResult(List<TenantStatus> tenants, Duration duration, int parallelism) {

	/**
	 * Return the tenants that failed.
	 * @return their statuses
	 */
	public List<TenantStatus> failed() {
		return inState(TenantState.FAILED);
	}

	/**
	 * Return the tenants in a state.
	 * @param state the state
	 * @return their statuses
	 */
	public List<TenantStatus> inState(TenantState state) {
		return this.tenants.stream().filter((tenant) -> tenant.state() == state).toList();
	}

	/**
	 * Return whether every tenant is where this application expects it.
	 * @return whether all migrated or were up to date
	 */
	public boolean isSuccess() {
		return this.tenants.stream().allMatch((tenant) -> tenant.state().isCurrent());
	}

	/**
	 * Return how many tenants ended in each state.
	 * @return the counts, of the states that occur
	 */
	public Map<TenantState, Long> counts() {
		return this.tenants.stream().collect(Collectors.groupingBy(TenantStatus::state, Collectors.counting()));
	}

}
