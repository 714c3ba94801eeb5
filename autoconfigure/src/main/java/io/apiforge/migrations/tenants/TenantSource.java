package io.apiforge.migrations.tenants;

import java.util.List;

/**
 * Lists the tenants to migrate. A bean of this type replaces the built-in sources
 * ({@code migrations.tenants.schemas}, {@code migrations.tenants.query}).
 * <p>
 * It is asked at the start of each fan-out, so that tenants created since the last one
 * are included. An implementation must return each tenant once (names are unique), and
 * throw, not return an empty list, when it cannot read them: an empty list means "no
 * tenants", and nothing is migrated.
 *
 * @author apiforge
 */
@FunctionalInterface
public interface TenantSource {

	/**
	 * Return the tenants, in the order the fan-out starts them (canaries go first
	 * whatever their place).
	 * @return the tenants
	 */
	List<Tenant> tenants();

	/**
	 * Describe where the tenants come from, for the log.
	 * @return a description, such as {@code migrations.tenants.schemas (3 schemas)}
	 */
	default String describe() {
		return getClass().getSimpleName();
	}

}
