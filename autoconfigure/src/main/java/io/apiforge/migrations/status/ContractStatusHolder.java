package io.apiforge.migrations.status;

import java.time.Clock;

import org.springframework.util.Assert;

/**
 * Holds the latest {@link ContractStatus}, for the endpoint, health and meters.
 *
 * @author apiforge
 */
public class ContractStatusHolder {

	private volatile ContractStatus current;

	/**
	 * Create a holder with nothing pending.
	 * @param clock the clock that stamps the first status
	 */
	public ContractStatusHolder(Clock clock) {
		Assert.notNull(clock, "'clock' must not be null");
		this.current = ContractStatus.none(clock.instant());
	}

	/**
	 * Return the latest status.
	 * @return the status
	 */
	public ContractStatus current() {
		return this.current;
	}

	/**
	 * Record a new status.
	 * @param status the status
	 */
	public void record(ContractStatus status) {
		Assert.notNull(status, "'status' must not be null");
		this.current = status;
	}

}
