package io.apiforge.migrations.tenants;

import java.util.LinkedHashSet;
import java.util.List;

import org.springframework.util.Assert;

/**
 * A fixed list of schema tenants: {@code migrations.tenants.schemas}.
 *
 * @author apiforge
 */
public class FixedTenantSource implements TenantSource {

	private final List<Tenant> tenants;

	/**
	 * Create a source of the given schemas.
	 * @param schemas the schemas, exactly as they are in the catalog; a name listed twice
	 * counts once
	 */
	public FixedTenantSource(List<String> schemas) {
		Assert.notNull(schemas, "'schemas' must not be null");
		this.tenants = new LinkedHashSet<>(schemas).stream().map(Tenant::ofSchema).toList();
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
		return "migrations.tenants.schemas (" + this.tenants.size() + " schemas)";
	}

}
