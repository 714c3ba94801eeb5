package io.apiforge.migrations.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code migrations} endpoint, next to Spring Boot's own
 * {@code management.endpoint.migrations.access} and
 * {@code management.endpoint.migrations.cache.time-to-live}. Shaped like Boot's
 * {@code management.endpoint.env.show-values} and {@code roles}: a migration's SQL can
 * hold what an outsider should not read (role passwords, seed data, the shape of
 * sensitive tables), so it is hidden unless the application says who may see it.
 *
 * @author apiforge
 */
@ConfigurationProperties("management.endpoint.migrations")
public class MigrationsEndpointProperties {

	/**
	 * When to show the SQL of migrations and of plan steps: 'never', 'when-authorized'
	 * (to an authenticated user in one of the roles) or 'always'.
	 */
	private Show showSql = Show.NEVER;

	/**
	 * Roles a user needs to see the SQL when show-sql is 'when-authorized'. When empty,
	 * any authenticated user may see it.
	 */
	private Set<String> roles = new LinkedHashSet<>();

	public Show getShowSql() {
		return this.showSql;
	}

	public void setShowSql(Show showSql) {
		this.showSql = showSql;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public void setRoles(Set<String> roles) {
		this.roles = roles;
	}

}
