package io.apiforge.migrations.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.util.ClassUtils;

/**
 * The data sources behind a wrapper: Spring's {@link DelegatingDataSource} and its
 * proxies ({@code TransactionAwareDataSourceProxy}, {@code LazyConnectionDataSourceProxy}),
 * and {@link java.sql.Wrapper} proxies that unwrap to their target (p6spy,
 * datasource-proxy). A wrapper hides the pool's URL and credentials, which the pool
 * itself still has.
 *
 * @author apiforge
 */
public final class WrappedDataSources {

	private static final Log logger = LogFactory.getLog(WrappedDataSources.class);

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			WrappedDataSources.class.getClassLoader());

	/** Wrappers are rarely nested more than twice; a cycle must not loop forever. */
	private static final int MAXIMUM_DEPTH = 16;

	private WrappedDataSources() {
	}

	/**
	 * Return a data source and those it wraps, outermost first, each once; the last is
	 * the innermost one found (the pool, for the usual wrappers).
	 * @param dataSource the data source, wrapped or not
	 * @return the data source and its targets, never empty
	 */
	public static List<DataSource> layers(DataSource dataSource) {
		List<DataSource> layers = new ArrayList<>();
		@Nullable DataSource current = dataSource;
		while (current != null && !layers.contains(current) && layers.size() < MAXIMUM_DEPTH) {
			layers.add(current);
			current = target(current);
		}
		if (HIKARI_PRESENT) {
			// A wrapper that unwraps to the pool's type only, not to DataSource.
			DataSource hikari = Hikari.unwrap(dataSource);
			if (hikari != null && !layers.contains(hikari)) {
				layers.add(hikari);
			}
		}
		return layers;
	}

	/**
	 * Return the innermost data source behind a wrapper.
	 * @param dataSource the data source, wrapped or not
	 * @return the innermost data source; the given one when it wraps none
	 */
	public static DataSource innermost(DataSource dataSource) {
		List<DataSource> layers = layers(dataSource);
		return layers.get(layers.size() - 1);
	}

	private static @Nullable DataSource target(DataSource dataSource) {
		if (dataSource instanceof DelegatingDataSource delegating) {
			return delegating.getTargetDataSource();
		}
		try {
			// Most data sources answer "themselves" here; a proxy answers its target.
			return dataSource.isWrapperFor(DataSource.class) ? dataSource.unwrap(DataSource.class) : null;
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Cannot unwrap " + dataSource.getClass().getName(), ex);
			return null;
		}
	}

	private static final class Hikari {

		static @Nullable DataSource unwrap(DataSource dataSource) {
			return DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class);
		}

	}

}
