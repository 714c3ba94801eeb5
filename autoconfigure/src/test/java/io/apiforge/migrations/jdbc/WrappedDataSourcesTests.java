package io.apiforge.migrations.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import com.p6spy.engine.spy.P6DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.AbstractDataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data sources found behind wrappers, without connecting.
 */
class WrappedDataSourcesTests {

	@Test
	void theLayersAreListedOutermostFirstDownToThePool() {
		try (HikariDataSource pool = new HikariDataSource()) {
			P6DataSource spy = new P6DataSource(pool);
			DelegatingDataSource delegating = new DelegatingDataSource(spy);
			TransactionAwareDataSourceProxy outer = new TransactionAwareDataSourceProxy(delegating);
			assertThat(WrappedDataSources.layers(outer)).containsExactly(outer, delegating, spy, pool);
			assertThat(WrappedDataSources.innermost(outer)).isSameAs(pool);
		}
	}

	@Test
	void aDataSourceThatWrapsNoneIsItsOwnOnlyLayer() {
		try (HikariDataSource pool = new HikariDataSource()) {
			assertThat(WrappedDataSources.layers(pool)).containsExactly(pool);
			assertThat(WrappedDataSources.innermost(pool)).isSameAs(pool);
		}
	}

	@Test
	void aProxyThatUnwrapsOnlyToThePoolsTypeStillLeadsToThePool() {
		try (HikariDataSource pool = new HikariDataSource()) {
			OnlyPoolTypeProxy proxy = new OnlyPoolTypeProxy(pool);
			assertThat(WrappedDataSources.layers(proxy)).containsExactly(proxy, pool);
		}
	}

	/**
	 * A proxy that answers {@code unwrap(DataSource.class)} with itself, as many do,
	 * and unwraps to its target only when asked for the pool's own type.
	 */
	private static final class OnlyPoolTypeProxy extends AbstractDataSource {

		private final HikariDataSource pool;

		OnlyPoolTypeProxy(HikariDataSource pool) {
			this.pool = pool;
		}

		@Override
		public Connection getConnection() throws SQLException {
			return this.pool.getConnection();
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return this.pool.getConnection(username, password);
		}

		@Override
		public boolean isWrapperFor(Class<?> type) {
			return type.isInstance(this) || type.isInstance(this.pool);
		}

		@Override
		public <T> T unwrap(Class<T> type) {
			return type.isInstance(this) ? type.cast(this) : type.cast(this.pool);
		}

	}

}
