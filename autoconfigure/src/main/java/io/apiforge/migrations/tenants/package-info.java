/**
 * Many tenants, each a schema or a database with its own schema history: the
 * {@link io.apiforge.migrations.tenants.TenantSource} SPI that lists them, its built-in
 * sources (and {@link io.apiforge.migrations.tenants.DataSourceTenantSource} for the
 * application's own data sources), and the {@link io.apiforge.migrations.tenants.TenantStatuses} registry where
 * each tenant's last run is recorded apart from the application's own status. The
 * fan-out that migrates them is an operation
 * ({@code io.apiforge.migrations.operations.TenantMigrations}).
 */
@NullMarked
package io.apiforge.migrations.tenants;

import org.jspecify.annotations.NullMarked;
