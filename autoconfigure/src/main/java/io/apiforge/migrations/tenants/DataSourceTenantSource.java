package io.apiforge.migrations.tenants;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.util.Assert;

/**
 * Database tenants: each tenant a database of its own, reached through a
 * {@link DataSource}, with its own schema history table in it. For data sources the
 * application already has, declare it as a bean:
 *
 * <pre class="code">
 * &#64;Bean
 * TenantSource tenants(DataSource acme, DataSource globex) {
 *     return new DataSourceTenantSource(Map.of("acme", acme, "globex", globex));
 * }
 * </pre>
 *
 * The data sources stay the application's: this source never closes them. Each holds at
 * most one tenant run at a time, which takes two of its connections (three when the
 * migration lock cannot open one of its own), checked at start-up against its pool's
 * maximum size.
 *
 * @author apiforge
 */
public class DataSourceTenantSource implements TenantSource {

	private final List<Tenant> tenants;

	/**
	 * Create a source of tenants, each migrated in the default schema of its data
	 * source's connections.
	 * @param dataSources each tenant's name and its database, in the order the fan-out
	 * starts them when the map has one (such as a {@link java.util.LinkedHashMap})
	 */
	public DataSourceTenantSource(Map<String, DataSource> dataSources) {
		this(tenantsOf(dataSources));
	}

	/**
	 * Create a source of the given tenants, each of which has a data source (and, when a
	 * tenant's tables are in another schema than its connections' default, a schema).
	 * @param tenants the tenants, in the order the fan-out starts them
	 */
	public DataSourceTenantSource(List<Tenant> tenants) {
		Assert.notNull(tenants, "'tenants' must not be null");
		Set<String> names = new HashSet<>();
		for (Tenant tenant : tenants) {
			Assert.notNull(tenant.dataSource(), () -> "Tenant '" + tenant.name() + "' must have a data source");
			Assert.isTrue(names.add(tenant.name()), () -> "Tenant '" + tenant.name() + "' is listed twice");
		}
		this.tenants = List.copyOf(tenants);
	}

	private static List<Tenant> tenantsOf(Map<String, DataSource> dataSources) {
		Assert.notNull(dataSources, "'dataSources' must not be null");
		List<Tenant> tenants = new ArrayList<>(dataSources.size());
		dataSources.forEach((name, dataSource) -> {
			Assert.notNull(dataSource, () -> "The data source of tenant '" + name + "' must not be null");
			tenants.add(new Tenant(name, null, dataSource));
		});
		return tenants;
	}

	@Override
	public List<Tenant> tenants() {
		return this.tenants;
	}

	@Override
	public boolean isFixed() {
		return true;
	}

	@Override
	public String describe() {
		return this.tenants.size() + " tenant database(s)";
	}

}
