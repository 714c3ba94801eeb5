package io.apiforge.migrations.tenants;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of the tenants' statuses, in the order of their names.
 *
 * @param tenants the statuses on this page
 * @param state the state they were filtered by, or {@code null} for all
 * @param page the page, from 0
 * @param size the page's size
 * @param total how many tenants match the filter, on all pages
 * @author apiforge
 */
public record TenantStatusPage(List<TenantStatus> tenants, @Nullable TenantState state, int page, int size,
		int total) {

}
