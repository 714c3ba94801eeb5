package io.apiforge.migrations.tenants;

import java.util.List;

/**
 * Lists the tenants to migrate. A bean of this type replaces the built-in sources
 * ({@code migrations.tenants.schemas}, {@code migrations.tenants.query},
 * {@code migrations.tenants.databases}); {@link DataSourceTenantSource} makes one of data
 * sources the application already has.
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

	/**
	 * Return whether {@link #tenants()} returns the same tenants every time without
	 * reading a database, so that start-up may list them before anything is migrated, to
	 * check what their runs need (the connection pool of each tenant database). The
	 * default, {@code false}, keeps start-up from asking the source.
	 * @return whether the tenants are a fixed list
	 */
	default boolean isFixed() {
		return false;
	}

	/**
	 * Called after each tenant's run, whatever its outcome: a source that owns the
	 * tenants' connection pools closes the idle connections of the tenant's, so that a
	 * fan-out over many databases does not leave connections open in each. The default
	 * does nothing.
	 * @param tenant the tenant whose run ended
	 */
	default void released(Tenant tenant) {
	}

}
