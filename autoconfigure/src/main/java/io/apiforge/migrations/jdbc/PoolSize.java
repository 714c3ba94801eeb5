package io.apiforge.migrations.jdbc;

import java.util.OptionalInt;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.util.ClassUtils;

/**
 * The maximum size of a connection pool, where the pool says it (HikariCP, Spring
 * Boot's default pool).
 *
 * @author apiforge
 */
public final class PoolSize {

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			PoolSize.class.getClassLoader());

	private PoolSize() {
	}

	/**
	 * Return the maximum number of connections the pool behind a data source hands out.
	 * @param dataSource the data source
	 * @return the maximum, or empty when the pool is not one this class knows
	 */
	public static OptionalInt maximumOf(DataSource dataSource) {
		if (!HIKARI_PRESENT) {
			return OptionalInt.empty();
		}
		return Hikari.maximumOf(dataSource);
	}

	private static final class Hikari {

		static OptionalInt maximumOf(DataSource dataSource) {
			HikariConfigMXBean hikari = DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class,
					HikariDataSource.class);
			return (hikari != null) ? OptionalInt.of(hikari.getMaximumPoolSize()) : OptionalInt.empty();
		}

	}

}
