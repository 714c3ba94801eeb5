package io.apiforge.migrations.test;

import java.util.concurrent.atomic.AtomicInteger;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class migrates once, into its template, and each test gets a clone of its own.
 * Both tests check the same things, so whichever runs second proves it.
 */
class TemplateCloneTests {

	private static final AtomicInteger migrateRuns = new AtomicInteger();

	@RegisterExtension
	static MigrationsExtension migrations = MigrationsExtension.locations("classpath:db/roundtrip")
		.configure((flyway) -> flyway.callbacks(new CountingCallback()));

	@Test
	void aRowInsertedByOneTestIsNotSeenByAnother(Migrations migrations) {
		startsFromTheTemplateAndKeepsItsRowsToItself(migrations);
	}

	@Test
	void theOtherTestStartsFromTheTemplateToo(Migrations migrations) {
		startsFromTheTemplateAndKeepsItsRowsToItself(migrations);
	}

	private static void startsFromTheTemplateAndKeepsItsRowsToItself(Migrations migrations) {
		assertThat(migrations.version()).isEqualTo("3");
		assertThat(Rows.count(migrations, "items")).isZero();
		migrations.sql("INSERT INTO items (name) VALUES ('seen here only')");
		assertThat(Rows.count(migrations, "items")).isOne();
		assertThat(migrateRuns).hasValue(1);
	}

	/**
	 * Counts Flyway's migrate runs, on any database of this class.
	 */
	static class CountingCallback implements Callback {

		@Override
		public boolean supports(Event event, Context context) {
			return event == Event.AFTER_MIGRATE;
		}

		@Override
		public boolean canHandleInTransaction(Event event, Context context) {
			return true;
		}

		@Override
		public void handle(Event event, Context context) {
			migrateRuns.incrementAndGet();
		}

		@Override
		public String getCallbackName() {
			return "counting";
		}

	}

}
