package io.apiforge.migrations.tenants;

import io.apiforge.migrations.backup.BackupStrategy;

/**
 * Gives each tenant the {@link BackupStrategy} its runs back up with. The built-in one
 * backs up only a schema tenant's schema, or a database tenant's database, into a
 * directory of the tenant's own (so that retention counts each tenant's backups apart);
 * with a {@link BackupStrategy} bean of the user's, every tenant uses that bean, and its
 * requests carry the tenant's data source and name its schema.
 *
 * @author apiforge
 */
@FunctionalInterface
public interface TenantBackupStrategies {

	/**
	 * Return the strategy that backs up a tenant.
	 * @param tenant the tenant
	 * @return the strategy
	 */
	BackupStrategy forTenant(Tenant tenant);

}
