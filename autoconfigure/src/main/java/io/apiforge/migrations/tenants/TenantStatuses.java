package io.apiforge.migrations.tenants;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The registry of every tenant's {@link TenantStatus}, apart from the application's own
 * status, so that a tenant's run never reads as the application's. Thread-safe: the
 * fan-out's threads write it, readers (the endpoint, health, meters) read it without
 * locking. Readers get counts per state, a page of tenants filtered by state, or one
 * tenant, each at a cost that does not grow with what it does not return, and the
 * {@link #runs(TenantState) totals of the runs} that ended, per outcome.
 *
 * @author apiforge
 */
public class TenantStatuses {

	private final ConcurrentNavigableMap<String, TenantStatus> statuses = new ConcurrentSkipListMap<>();

	/** Runs that ended, per outcome: kept apart from the statuses, which a next run replaces. */
	private final Map<TenantState, Tally> runs = new EnumMap<>(TenantState.class);

	/**
	 * Create a registry that knows no tenant yet.
	 */
	public TenantStatuses() {
		for (TenantState outcome : TenantState.values()) {
			if (isOutcome(outcome)) {
				this.runs.put(outcome, new Tally());
			}
		}
	}

	/**
	 * Record that tenants are listed: those not seen before are {@link TenantState#PENDING};
	 * the others keep their status.
	 * @param tenants the tenants
	 */
	public void listed(Collection<Tenant> tenants) {
		Assert.notNull(tenants, "'tenants' must not be null");
		tenants.forEach((tenant) -> this.statuses.putIfAbsent(tenant.name(), TenantStatus.pending(tenant.name())));
	}

	/**
	 * Record that a tenant's run started.
	 * @param tenant the tenant's name
	 * @param at when
	 */
	public void started(String tenant, Instant at) {
		update(tenant, (status) -> status.migrating(at));
	}

	/**
	 * Record that a tenant was not started.
	 * @param tenant the tenant's name
	 * @param why why not
	 * @param at when the fan-out decided it
	 */
	public void skipped(String tenant, String why, Instant at) {
		update(tenant, (status) -> status.skipped(why, at));
	}

	/**
	 * Record a tenant's status. A status that ends a run ({@link TenantState#MIGRATED},
	 * {@link TenantState#UP_TO_DATE} or {@link TenantState#FAILED}) also counts in the
	 * {@link #runs(TenantState) totals} of its outcome.
	 * @param status the status
	 */
	public void record(TenantStatus status) {
		Assert.notNull(status, "'status' must not be null");
		this.statuses.put(status.tenant(), status);
		Tally tally = this.runs.get(status.state());
		if (tally != null) {
			Duration duration = status.duration();
			tally.add((duration != null) ? duration : Duration.ZERO);
		}
	}

	private void update(String tenant, UnaryOperator<TenantStatus> change) {
		this.statuses.compute(tenant,
				(name, current) -> change.apply((current != null) ? current : TenantStatus.pending(name)));
	}

	/**
	 * Return one tenant's status.
	 * @param tenant the tenant's name
	 * @return the status, or {@code null} for a tenant this application has not listed
	 */
	public @Nullable TenantStatus get(String tenant) {
		return this.statuses.get(tenant);
	}

	/**
	 * Return how many tenants are in each state; every state is present, at 0 when none
	 * is in it.
	 * @return the counts
	 */
	public Map<TenantState, Integer> counts() {
		// One pass without boxing: health, the gauges and the endpoint call it on every read.
		int[] byState = new int[TenantState.values().length];
		for (TenantStatus status : this.statuses.values()) {
			byState[status.state().ordinal()]++;
		}
		Map<TenantState, Integer> counts = new EnumMap<>(TenantState.class);
		for (TenantState state : TenantState.values()) {
			counts.put(state, byState[state.ordinal()]);
		}
		return counts;
	}

	/**
	 * Return one page of the tenants' statuses, in the order of their names.
	 * @param state only tenants in this state, or {@code null} for all
	 * @param page the page, from 0
	 * @param size the page's size, at least 1
	 * @return the page
	 */
	public TenantStatusPage page(@Nullable TenantState state, int page, int size) {
		Assert.isTrue(page >= 0, "'page' must not be negative");
		Assert.isTrue(size >= 1, "'size' must be at least 1");
		List<TenantStatus> matching = this.statuses.values()
			.stream()
			.filter((status) -> state == null || status.state() == state)
			.toList();
		int from = (int) Math.min((long) page * size, matching.size());
		int to = Math.min(from + size, matching.size());
		return new TenantStatusPage(matching.subList(from, to), state, page, size, matching.size());
	}

	/**
	 * Return how many tenant runs ended with an outcome since the application started,
	 * and how long they took in all.
	 * @param outcome {@link TenantState#MIGRATED}, {@link TenantState#UP_TO_DATE} or
	 * {@link TenantState#FAILED}
	 * @return the totals
	 */
	public TenantRunTotals runs(TenantState outcome) {
		Assert.isTrue(isOutcome(outcome), () -> "'outcome' must end a run, but was " + outcome);
		Tally tally = this.runs.get(outcome);
		return new TenantRunTotals(tally.count.sum(), Duration.ofNanos(tally.nanos.sum()));
	}

	/**
	 * Return whether a state ends a run.
	 * @param state the state
	 * @return whether it is {@link TenantState#MIGRATED}, {@link TenantState#UP_TO_DATE}
	 * or {@link TenantState#FAILED}
	 */
	public static boolean isOutcome(TenantState state) {
		return state.isCurrent() || state == TenantState.FAILED;
	}

	/**
	 * Return how many tenants are known.
	 * @return the number
	 */
	public int size() {
		return this.statuses.size();
	}

	private static final class Tally {

		private final LongAdder count = new LongAdder();

		private final LongAdder nanos = new LongAdder();

		void add(Duration duration) {
			this.nanos.add(duration.toNanos());
			this.count.increment();
		}

	}

}
