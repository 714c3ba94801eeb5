package io.apiforge.migrations.metrics;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

import io.apiforge.migrations.tenants.TenantState;
import io.apiforge.migrations.tenants.TenantStatuses;

/**
 * The tenants' meters, tagged by state or outcome, never by tenant: a series per tenant
 * would grow with the tenants, thousands of them. Names (Prometheus names in brackets):
 * <ul>
 * <li>{@value #TENANTS} (gauge, tag {@code state}: {@code pending}, {@code migrating},
 * {@code migrated}, {@code up_to_date}, {@code failed}, {@code skipped})
 * [{@code migrations_tenants}]: how many tenants are in each state, as this application
 * last saw them;</li>
 * <li>{@value #RUNS} (timer, tag {@code outcome}: {@code migrated}, {@code up_to_date},
 * {@code failed}) [{@code migrations_tenant_runs_seconds_count|sum}]: tenant runs that
 * ended, with their time from start to end (lock wait and backup included).</li>
 * </ul>
 * Both read the {@link TenantStatuses} when scraped, like {@link MigrationsMetrics}'
 * gauges read the status holder: tenant runs publish no events (those are the
 * application's own), and a fan-out at start-up ends before meters are bound, so a
 * meter that counted as runs end would miss it. Every series is registered at start-up,
 * at zero.
 *
 * @author apiforge
 */
public class TenantMetrics implements MeterBinder {

	/** Gauge of the tenants in each state. */
	public static final String TENANTS = "migrations.tenants";

	/** Timer of the tenant runs that ended, by outcome. */
	public static final String RUNS = "migrations.tenant.runs";

	private static final List<TenantState> OUTCOMES = List.of(TenantState.MIGRATED, TenantState.UP_TO_DATE,
			TenantState.FAILED);

	private final TenantStatuses statuses;

	/**
	 * Create the meters.
	 * @param statuses the tenants' statuses the meters read
	 */
	public TenantMetrics(TenantStatuses statuses) {
		Assert.notNull(statuses, "'statuses' must not be null");
		this.statuses = statuses;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (TenantState state : TenantState.values()) {
			Gauge.builder(TENANTS, this.statuses, (statuses) -> statuses.counts().get(state))
				.description("Tenants in each state, as this application last saw them")
				.tag("state", tag(state))
				.register(registry);
		}
		for (TenantState outcome : OUTCOMES) {
			FunctionTimer
				.builder(RUNS, this.statuses, (statuses) -> statuses.runs(outcome).count(),
						(statuses) -> statuses.runs(outcome).total().toNanos(), TimeUnit.NANOSECONDS)
				.description("Tenant runs that ended, by outcome")
				.tag("outcome", tag(outcome))
				.register(registry);
		}
	}

	private static String tag(TenantState state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
