package io.apiforge.migrations.autoconfigure;

import io.apiforge.migrations.testsupport.TestDatabase;

/**
 * Lets tests of other packages put a database at a version with plain Flyway.
 */
public final class MigrationLifecycleIntegrationTestsAccess {

	private MigrationLifecycleIntegrationTestsAccess() {
	}

	public static void migrate(TestDatabase database, String target) {
		MigrationLifecycleIntegrationTests.migrateWithPlainFlyway(database, "classpath:db/basic", target);
	}

}
