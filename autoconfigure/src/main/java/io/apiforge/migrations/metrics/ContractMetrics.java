package io.apiforge.migrations.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

import io.apiforge.migrations.status.ContractStatusHolder;

/**
 * The contract migrations' meter: {@value #WAITING} (gauge)
 * [{@code migrations_contract_waiting}], how many pending contract migrations wait for
 * instances that still expect an older schema, as the last check saw them; 0 when none
 * waits. Registered at zero, read from the status when scraped.
 *
 * @author apiforge
 */
public class ContractMetrics implements MeterBinder {

	/** Gauge of the contract migrations that wait. */
	public static final String WAITING = "migrations.contract.waiting";

	private final ContractStatusHolder status;

	/**
	 * Create the meter.
	 * @param status the contract migrations' status
	 */
	public ContractMetrics(ContractStatusHolder status) {
		Assert.notNull(status, "'status' must not be null");
		this.status = status;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(WAITING, this.status, (status) -> status.current().waiting())
			.description("Contract migrations waiting for instances that still expect an older schema")
			.register(registry);
	}

}
