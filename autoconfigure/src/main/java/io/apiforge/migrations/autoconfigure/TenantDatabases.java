package io.apiforge.migrations.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.util.ClassUtils;

import io.apiforge.migrations.tenants.DataSourceTenantSource;
import io.apiforge.migrations.tenants.Tenant;

/**
 * The tenant databases of {@code migrations.tenants.databases}: a small connection pool
 * per tenant that the starter owns, opened lazily (no connection until the tenant's first
 * run), emptied after each run and closed with the application context.
 * <p>
 * A pool serves one tenant run at a time: Flyway's two connections and one to spare (a
 * backup's snapshot); the migration lock opens a connection of its own outside it. It
 * keeps no connection idle, so that a fan-out over hundreds of databases does not leave
 * connections open in each.
 *
 * @author apiforge
 */
final class TenantDatabases extends DataSourceTenantSource implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(TenantDatabases.class);

	/** The maximum size of each tenant's pool. */
	static final int MAXIMUM_POOL_SIZE = 3;

	/** The name of each tenant's pool, followed by the tenant's name. */
	static final String POOL_NAME = "migrations-tenant-";

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			TenantDatabases.class.getClassLoader());

	private TenantDatabases(List<Tenant> tenants) {
		super(tenants);
	}

	/**
	 * Open (lazily) a pool for each tenant database.
	 * @param databases the tenants' databases by name, checked already
	 * ({@link MigrationsPropertiesCheck})
	 * @param classLoader the class loader that finds the JDBC driver
	 * @return the tenants
	 */
	static TenantDatabases of(Map<String, MigrationsProperties.Tenants.Database> databases, ClassLoader classLoader) {
		List<Tenant> tenants = new ArrayList<>(databases.size());
		try {
			databases.forEach((name, database) -> tenants
				.add(new Tenant(name, database.getSchema(), dataSource(name, database, classLoader))));
		}
		catch (RuntimeException ex) {
			tenants.forEach(TenantDatabases::close);
			throw ex;
		}
		return new TenantDatabases(tenants);
	}

	private static DataSource dataSource(String name, MigrationsProperties.Tenants.Database database,
			ClassLoader classLoader) {
		if (HIKARI_PRESENT) {
			return Hikari.pool(name, database, classLoader);
		}
		return DataSourceBuilder.create(classLoader)
			.url(database.getUrl())
			.username(database.getUsername())
			.password(database.getPassword())
			.build();
	}

	@Override
	public String describe() {
		return "migrations.tenants.databases (" + tenants().size() + " databases)";
	}

	/**
	 * Close the idle connections of the tenant's pool: it may not be needed again for a
	 * long time.
	 */
	@Override
	public void released(Tenant tenant) {
		if (HIKARI_PRESENT && tenants().contains(tenant)) {
			Hikari.evictIdle(tenant.dataSource());
		}
	}

	@Override
	public void close() {
		tenants().forEach(TenantDatabases::close);
	}

	private static void close(Tenant tenant) {
		if (tenant.dataSource() instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close the connection pool of tenant " + tenant.name() + ": " + ex);
			}
		}
	}

	private static final class Hikari {

		static DataSource pool(String name, MigrationsProperties.Tenants.Database database, ClassLoader classLoader) {
			HikariDataSource pool = DataSourceBuilder.create(classLoader)
				.type(HikariDataSource.class)
				.url(database.getUrl())
				.username(database.getUsername())
				.password(database.getPassword())
				.build();
			pool.setPoolName(POOL_NAME + name);
			pool.setMaximumPoolSize(MAXIMUM_POOL_SIZE);
			pool.setMinimumIdle(0);
			return pool;
		}

		static void evictIdle(@Nullable DataSource dataSource) {
			if (dataSource instanceof HikariDataSource pool) {
				HikariPoolMXBean mxBean = pool.getHikariPoolMXBean();
				if (mxBean != null) {
					mxBean.softEvictConnections();
				}
			}
		}

	}

}
