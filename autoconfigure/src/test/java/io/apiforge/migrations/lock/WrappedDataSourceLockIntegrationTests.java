package io.apiforge.migrations.lock;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.p6spy.engine.spy.P6DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.ClassNamedPools;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Hikari pool behind a wrapper {@link DataSource} (Spring's delegating proxies, p6spy)
 * still lends the lock none of its connections: the lock opens its own, so a small pool
 * is left whole to Flyway. A wrapped pool whose URL cannot be read is refused at
 * start-up when too small, naming the pool behind the wrapper.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class WrappedDataSourceLockIntegrationTests {

	private static final int POOL_SIZE = 2;

	private final PostgresAdvisoryLockProvider locks = new PostgresAdvisoryLockProvider(Duration.ofMillis(20));

	static Stream<Arguments> wrappers() {
		return Stream.of(wrapper("DelegatingDataSource", DelegatingDataSource::new),
				wrapper("TransactionAwareDataSourceProxy", TransactionAwareDataSourceProxy::new),
				wrapper("LazyConnectionDataSourceProxy", LazyConnectionDataSourceProxy::new),
				wrapper("P6DataSource", P6DataSource::new),
				wrapper("DelegatingDataSource around P6DataSource",
						(pool) -> new DelegatingDataSource(new P6DataSource(pool))));
	}

	private static Arguments wrapper(String name, Function<DataSource, DataSource> wrap) {
		return Arguments.argumentSet(name, wrap);
	}

	@ParameterizedTest
	@MethodSource("wrappers")
	void theLockIsTakenWhileEveryPooledConnectionIsLentOut(Function<DataSource, DataSource> wrap,
			TestDatabase database) throws Exception {
		try (HikariDataSource pool = pool(database, POOL_SIZE)) {
			DataSource wrapped = wrap.apply(pool);
			assertThat(this.locks.connectionsFromPool(wrapped)).as("pooled connections the lock takes").isZero();
			List<Connection> lentOut = new ArrayList<>();
			try {
				for (int i = 0; i < POOL_SIZE; i++) {
					lentOut.add(pool.getConnection());
				}
				// Were the lock to borrow from the pool, it would wait for a connection
				// held here and fail after the pool's connection timeout.
				try (MigrationLock lock = this.locks.acquire(wrapped, "a", Duration.ofSeconds(5))) {
					assertThat(pool.getHikariPoolMXBean().getActiveConnections())
						.as("the pool's active connections while the lock is held")
						.isEqualTo(POOL_SIZE);
					assertThat(lockSessions(database)).as("sessions named " + PostgresAdvisoryLockProvider.APPLICATION_NAME)
						.isOne();
				}
			}
			finally {
				for (Connection connection : lentOut) {
					connection.close();
				}
			}
		}
	}

	@Test
	void anApplicationWithAWrappedSmallPoolMigratesWithoutWarning(TestDatabase database, CapturedOutput output) {
		try (HikariDataSource pool = pool(database, 3)) {
			MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
				.withBean(DataSource.class, () -> new TransactionAwareDataSourceProxy(new DelegatingDataSource(pool)))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
						.isEqualTo(RunOutcome.MIGRATED);
				});
		}
		assertThat(output).doesNotContain("cannot open a connection of its own");
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success",
				Integer.class))
			.as("migrations applied")
			.isPositive();
	}

	@Test
	void aWrappedPoolWhoseUrlCannotBeReadIsRefusedAtStartupWhenTooSmall(TestDatabase database) {
		try (HikariDataSource pool = ClassNamedPools.of(database, 2)) {
			MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
				.withBean(DataSource.class, () -> new LazyConnectionDataSourceProxy(pool))
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).cause()
						.isInstanceOf(MigrationsException.class)
						.hasMessageContaining("The migration lock cannot open a connection of its own")
						.hasMessageContaining("com.zaxxer.hikari.HikariDataSource (behind "
								+ LazyConnectionDataSourceProxy.class.getName() + ")")
						.hasMessageContaining("one of the pool's 2 connections")
						.satisfies((failure) -> assertThat(((MigrationsException) failure).getAction())
							.contains("spring.datasource.url")
							.contains("spring.datasource.hikari.maximum-pool-size"));
				});
		}
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.as("nothing migrated")
			.isEmpty();
	}

	private static HikariDataSource pool(TestDatabase database, int size) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(database.jdbcUrl());
		pool.setUsername(database.username());
		pool.setPassword(database.password());
		pool.setMaximumPoolSize(size);
		pool.setConnectionTimeout(2000);
		return pool;
	}

	private static int lockSessions(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()",
					Integer.class, PostgresAdvisoryLockProvider.APPLICATION_NAME);
	}

}
