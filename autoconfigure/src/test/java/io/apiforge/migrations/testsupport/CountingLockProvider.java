package io.apiforge.migrations.testsupport;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.apiforge.migrations.lock.MigrationLock;
import io.apiforge.migrations.lock.MigrationLockProvider;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;

/**
 * The real advisory lock, counting how often it is taken.
 */
public class CountingLockProvider implements MigrationLockProvider {

	private final MigrationLockProvider delegate = new PostgresAdvisoryLockProvider(Duration.ofMillis(50));

	private final AtomicInteger acquisitions = new AtomicInteger();

	@Override
	public MigrationLock acquire(DataSource dataSource, String name, Duration timeout) {
		this.acquisitions.incrementAndGet();
		return this.delegate.acquire(dataSource, name, timeout);
	}

	public int acquisitions() {
		return this.acquisitions.get();
	}

}
