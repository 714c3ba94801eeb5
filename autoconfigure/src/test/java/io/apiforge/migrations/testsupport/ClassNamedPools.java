package io.apiforge.migrations.testsupport;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Hikari pools configured with a {@code dataSourceClassName} instead of a JDBC URL: the
 * pools whose URL and credentials the starter cannot read, so the migration lock has to
 * share them.
 */
public final class ClassNamedPools {

	private ClassNamedPools() {
	}

	/**
	 * Create a pool of a test database through PostgreSQL's {@code PGSimpleDataSource}.
	 * @param database the database
	 * @param size the pool's maximum size
	 * @return the pool, to close
	 */
	public static HikariDataSource of(TestDatabase database, int size) {
		HikariDataSource pool = new HikariDataSource();
		pool.setDataSourceClassName("org.postgresql.ds.PGSimpleDataSource");
		pool.addDataSourceProperty("url", database.jdbcUrl());
		pool.addDataSourceProperty("user", database.username());
		if (database.password() != null) {
			pool.addDataSourceProperty("password", database.password());
		}
		pool.setMaximumPoolSize(size);
		return pool;
	}

}
