package io.apiforge.migrations.tenants;

import java.time.Duration;

/**
 * How many tenant runs ended with one outcome since the application started, and how
 * long they took in all: what a meter reads, without one entry per tenant.
 *
 * @param count how many runs
 * @param total their durations added up
 * @author apiforge
 */
public record TenantRunTotals(long count, Duration total) {

}
