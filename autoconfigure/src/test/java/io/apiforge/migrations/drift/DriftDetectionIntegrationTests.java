package io.apiforge.migrations.drift;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.apiforge.migrations.MigrationsException;
import io.apiforge.migrations.fingerprint.ObjectDifference;
import io.apiforge.migrations.fingerprint.ObjectDifference.Change;
import io.apiforge.migrations.fingerprint.ObjectKind;
import io.apiforge.migrations.fingerprint.SchemaFingerprint;
import io.apiforge.migrations.lock.PostgresAdvisoryLockProvider;
import io.apiforge.migrations.operations.MigrationOperations;
import io.apiforge.migrations.status.DriftStatus;
import io.apiforge.migrations.status.DriftSummary;
import io.apiforge.migrations.status.MigrationStatusHolder;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.LimitedRole;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WebApplication;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Drift detection in an application migrated by the starter, against a real PostgreSQL,
 * in a mixed-case schema ({@code "Sales"}): each kind of hand change is found with the
 * right object and both definitions, nothing else is, and a migration in progress is
 * not drift.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class DriftDetectionIntegrationTests {

	private static final String FINGERPRINTS = "\"Sales\".flyway_schema_history_fingerprints";

	@Test
	void aMigrationStoresTheFingerprintOfTheVersionItLeftBesideTheHistoryTable(TestDatabase database) {
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			DriftSummary summary = context.getBean(MigrationStatusHolder.class).drift();
			assertThat(summary).isNotNull();
			assertThat(summary.status()).isEqualTo(DriftStatus.NONE);
			assertThat(summary.version()).isEqualTo("2");
		});
		List<Map<String, Object>> rows = database.jdbc()
			.queryForList("SELECT version, reason, recorded_by, postgresql_version, digest, fingerprint FROM "
					+ FINGERPRINTS + " ORDER BY id");
		assertThat(rows).singleElement().satisfies((row) -> {
			assertThat(row.get("version")).isEqualTo("2");
			assertThat(row.get("reason")).isEqualTo("migrate");
			assertThat(row.get("recorded_by")).isEqualTo(database.username());
			SchemaFingerprint fingerprint = SchemaFingerprint.fromJson((String) row.get("fingerprint"));
			assertThat(row.get("digest")).isEqualTo(fingerprint.digest());
			assertThat(row.get("postgresql_version")).isEqualTo(fingerprint.postgresqlVersion());
			assertThat(fingerprint.schemas()).containsExactly("Sales");
			assertThat(fingerprint.find(ObjectKind.COLUMN, "\"Sales\".orders.total")).isPresent();
			assertThat(fingerprint.objects()).as("the starter's own tables are left out")
				.noneMatch((object) -> object.identity().contains("flyway_schema_history"));
		});
	}

	@Test
	void anAddedIndexIsReported(TestDatabase database) {
		DriftReport report = driftAfter(database, "CREATE INDEX orders_note ON \"Sales\".orders (note)");
		assertThat(report.status()).isEqualTo(DriftStatus.DRIFTED);
		assertThat(report.version()).isEqualTo("2");
		assertThat(report.reference().reason()).isEqualTo(FingerprintReason.MIGRATE);
		assertThat(report.objects()).containsExactly(new ObjectDifference(Change.ADDED, ObjectKind.INDEX,
				"\"Sales\".orders_note", null, "CREATE INDEX orders_note ON \"Sales\".orders USING btree (note)"));
		assertThat(report.summary().schemaObjects()).isEqualTo(1);
		assertThat(report.note()).isNull();
	}

	@Test
	void aDroppedColumnDefaultIsReportedWithBothDefinitions(TestDatabase database) {
		DriftReport report = driftAfter(database, "ALTER TABLE \"Sales\".orders ALTER COLUMN placed_at DROP DEFAULT");
		assertThat(report.objects()).containsExactly(new ObjectDifference(Change.CHANGED, ObjectKind.COLUMN,
				"\"Sales\".orders.placed_at", "timestamp with time zone NOT NULL DEFAULT now()",
				"timestamp with time zone NOT NULL"));
	}

	@Test
	void aChangedFunctionBodyIsReportedWithBothDefinitions(TestDatabase database) {
		DriftReport report = driftAfter(database, "CREATE OR REPLACE FUNCTION \"Sales\".order_label(note text) "
				+ "RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'order by hand: ' || note $$");
		assertThat(report.objects()).singleElement().satisfies((object) -> {
			assertThat(object.change()).isEqualTo(Change.CHANGED);
			assertThat(object.kind()).isEqualTo(ObjectKind.FUNCTION);
			assertThat(object.identity()).isEqualTo("\"Sales\".order_label(text)");
			assertThat(object.stored()).contains("'order: '").doesNotContain("by hand");
			assertThat(object.live()).contains("'order by hand: '");
		});
	}

	@Test
	void anInvalidIndexLeftBehindByAFailedConcurrentBuildIsReported(TestDatabase database) {
		AtomicReference<DriftReport> report = new AtomicReference<>();
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			// Three orders share a note: the unique index fails, and stays behind invalid.
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> database.jdbc()
				.execute("CREATE UNIQUE INDEX CONCURRENTLY orders_unique_note ON \"Sales\".orders (note)"));
			report.set(context.getBean(DriftDetector.class).check());
		});
		assertThat(report.get().objects()).containsExactly(new ObjectDifference(Change.ADDED, ObjectKind.INDEX,
				"\"Sales\".orders_unique_note", null,
				"CREATE UNIQUE INDEX orders_unique_note ON \"Sales\".orders USING btree (note) -- INVALID"));
	}

	@Test
	void anAddedTriggerIsReported(TestDatabase database) {
		DriftReport report = driftAfter(database, "CREATE TRIGGER order_touched BEFORE UPDATE ON \"Sales\".orders "
				+ "FOR EACH ROW EXECUTE FUNCTION \"Sales\".touch_order()");
		assertThat(report.objects()).containsExactly(new ObjectDifference(Change.ADDED, ObjectKind.TRIGGER,
				"order_touched ON \"Sales\".orders", null, "CREATE TRIGGER order_touched BEFORE UPDATE ON "
						+ "\"Sales\".orders FOR EACH ROW EXECUTE FUNCTION \"Sales\".touch_order()"));
	}

	@Test
	void aChangedGrantIsReportedAsAPrivilegesDifference(TestDatabase database) {
		try (LimitedRole role = LimitedRole.create(database)) {
			try {
				DriftReport report = driftAfter(database, "GRANT SELECT ON \"Sales\".orders TO " + role.name());
				assertThat(report.status()).isEqualTo(DriftStatus.DRIFTED);
				String owner = "DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE TO " + database.username();
				assertThat(report.objects()).containsExactly(new ObjectDifference(Change.CHANGED,
						ObjectKind.PRIVILEGES, "TABLE \"Sales\".orders", owner, owner + "\nSELECT TO " + role.name()));
				assertThat(report.summary().schemaObjects()).isZero();
				assertThat(report.summary().privilegesObjects()).isEqualTo(1);
			}
			finally {
				database.jdbc().execute("REVOKE ALL ON \"Sales\".orders FROM " + role.name());
			}
		}
	}

	@Test
	void anUntouchedSchemaHasNoDriftAcrossARestartVacuumAnalyzeNewRowsAndAnAdvancedSequence(TestDatabase database,
			CapturedOutput output) {
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		database.jdbc().execute("INSERT INTO \"Sales\".orders (note) SELECT 'more ' || g FROM generate_series(1, 200) g");
		database.jdbc().execute("UPDATE \"Sales\".orders SET total = id");
		database.jdbc().execute("DELETE FROM \"Sales\".orders WHERE id % 3 = 0");
		database.jdbc().execute("VACUUM \"Sales\".orders");
		database.jdbc().execute("ANALYZE \"Sales\".orders");
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			// With nothing pending, the start-up check (warn) runs beside the start-up.
			Eventually.await("the start-up drift check",
					() -> context.getBean(MigrationStatusHolder.class).drift() != null);
			assertThat(context.getBean(MigrationStatusHolder.class).drift().status()).isEqualTo(DriftStatus.NONE);
			DriftReport report = context.getBean(DriftDetector.class).check();
			assertThat(report.status()).as(report.objects().toString()).isEqualTo(DriftStatus.NONE);
			assertThat(report.objects()).isEmpty();
		});
		assertThat(output).contains("Drift: none at start-up; the live schema is the reference of version 2 (migrate by "
				+ database.username());
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM " + FINGERPRINTS, Integer.class))
			.as("a restart with nothing pending stores nothing")
			.isEqualTo(1);
	}

	@Test
	void aMigrationInProgressIsSkippedNotDriftAndThePreviousResultStands(TestDatabase database) {
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			MigrationStatusHolder status = context.getBean(MigrationStatusHolder.class);
			DriftSummary before = status.drift();
			database.jdbc().execute("CREATE INDEX orders_note ON \"Sales\".orders (note)");
			DriftDetector detector = context.getBean(DriftDetector.class);
			try (Connection other = database.dataSource().getConnection();
					Statement statement = other.createStatement()) {
				// What a migrating instance holds.
				statement.execute("SELECT pg_advisory_lock("
						+ PostgresAdvisoryLockProvider.keyFor("Sales.flyway_schema_history") + ")");
				DriftReport report = detector.check();
				assertThat(report.status()).isEqualTo(DriftStatus.SKIPPED);
				assertThat(report.objects()).isEmpty();
				assertThat(report.note()).contains("a migration is in progress");
				assertThat(status.drift()).isSameAs(before);
			}
			assertThat(detector.check().status()).as("once the lock is free").isEqualTo(DriftStatus.DRIFTED);
		});
	}

	@Test
	void checkFailRefusesToMigrateOntoADriftedSchema(TestDatabase database) {
		runner(database, "spring.flyway.target=1").run((context) -> assertThat(context).hasNotFailed());
		database.jdbc().execute("CREATE INDEX orders_note ON \"Sales\".orders (note)");
		runner(database, "migrations.drift.check=fail").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(MigrationsException.class)
				.hasMessageContaining("drifted from the reference of version 1")
				.hasMessageContaining("added index \"Sales\".orders_note");
			MigrationsException failure = (MigrationsException) rootCause(context.getStartupFailure());
			assertThat(failure.getAction()).contains("POST /actuator/migrations/drift")
				.contains("migrations.drift.check=warn");
		});
		assertThat(database.jdbc()
			.queryForList("SELECT version FROM \"Sales\".flyway_schema_history WHERE version IS NOT NULL", String.class))
			.as("version 2 was not applied").containsExactly("1");
	}

	@Test
	void checkWarnWithNothingPendingRunsBesideTheStartUp(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		runner(database).withBean(ThreadRecordingDriftCheck.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ThreadRecordingDriftCheck check = context.getBean(ThreadRecordingDriftCheck.class);
			Eventually.await("the start-up drift check", () -> check.threads.size() == 1);
			assertThat(check.threads).containsExactly(DriftCheck.STARTUP_THREAD_NAME);
		});
	}

	@Test
	void checkWarnWithNothingPendingWaitsUntilTheApplicationIsReady(TestDatabase database) throws Exception {
		String[] properties = { "spring.flyway.locations=classpath:db/drift", "spring.flyway.default-schema=Sales",
				"migrations.drift.interval=0", "migrations.backup.strategy=none" };
		try (WebApplication first = WebApplication.start(database, properties)) {
			assertThat(first.context().isActive()).isTrue();
		}
		// A runner runs after the refresh and before the application is ready: a check
		// started on the refresh would record itself while the runner waits.
		try (WebApplication second = WebApplication.start(database,
				new Class<?>[] { ReadyOrderConfiguration.class }, properties)) {
			ThreadRecordingDriftCheck check = second.context().getBean(ThreadRecordingDriftCheck.class);
			Eventually.await("the start-up drift check", () -> check.threads.size() == 2);
			assertThat(check.threads).containsExactly("runner", DriftCheck.STARTUP_THREAD_NAME);
		}
	}

	@Test
	void checkFailWithNothingPendingRefusesToStartOnADriftedSchema(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		database.jdbc().execute("CREATE INDEX orders_note ON \"Sales\".orders (note)");
		runner(database, "migrations.drift.check=fail").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(MigrationsException.class)
				.hasMessageContaining("added index \"Sales\".orders_note");
		});
	}

	@Test
	void checkFailStartsWhenOnlyGrantsDrifted(TestDatabase database) {
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		try (LimitedRole role = LimitedRole.create(database)) {
			try {
				database.jdbc().execute("GRANT SELECT ON \"Sales\".orders TO " + role.name());
				runner(database, "migrations.drift.check=fail").run((context) -> assertThat(context).hasNotFailed());
			}
			finally {
				database.jdbc().execute("REVOKE ALL ON \"Sales\".orders FROM " + role.name());
			}
		}
	}

	@Test
	void checkWarnStartsAndLogsTheDriftedObjects(TestDatabase database, CapturedOutput output) {
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		database.jdbc().execute("CREATE INDEX orders_note ON \"Sales\".orders (note)");
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			Eventually.await("the start-up drift check",
					() -> context.getBean(MigrationStatusHolder.class).drift() != null);
			assertThat(context.getBean(MigrationStatusHolder.class).drift().schemaObjects()).isEqualTo(1);
		});
		assertThat(output).contains("Drift: The live schema drifted from the reference of version 2")
			.contains("checked at start-up: 1 object(s) of the schema's shape:\n  added index \"Sales\".orders_note")
			.contains("Accept the live schema as the reference with POST /actuator/migrations/drift");
	}

	@Test
	void aDatabaseThatAdoptsDriftDetectionGetsItsLiveSchemaAsBaseline(TestDatabase database, CapturedOutput output) {
		runner(database, "migrations.drift.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DriftDetector.class).doesNotHaveBean(DriftMonitor.class);
		});
		assertThat(database.jdbc().queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, FINGERPRINTS))
			.as("disabled: no table").isTrue();
		runner(database).run((context) -> assertThat(context).hasNotFailed());
		assertThat(database.jdbc().queryForList("SELECT reason FROM " + FINGERPRINTS + " WHERE version = '2'",
				String.class)).containsExactly("baseline");
		assertThat(output).containsOnlyOnce("is now its baseline reference in Sales.flyway_schema_history_fingerprints");
	}

	@Test
	void migratingADatabaseWithoutAReferenceComparesNothingAndRecordsTheVersionReached(TestDatabase database) {
		runner(database, "spring.flyway.target=1", "migrations.drift.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			DriftDetector detector = context.getBean(DriftDetector.class);
			// The check before migrating had nothing to compare version 1 with and recorded
			// nothing; the run recorded version 2.
			assertThat(database.jdbc().queryForList("SELECT version || ' ' || reason FROM " + FINGERPRINTS,
					String.class)).containsExactly("2 migrate");
			database.jdbc().execute("DELETE FROM " + FINGERPRINTS);
			DriftReport before = detector.checkUnderLock(false);
			assertThat(before.status()).isEqualTo(DriftStatus.NO_REFERENCE);
			assertThat(before.version()).isEqualTo("2");
			assertThat(before.reference()).isNull();
			assertThat(before.livePostgresqlVersion())
				.isEqualTo(database.jdbc().queryForObject("SELECT current_setting('server_version_num')::int / 10000",
						Integer.class));
			assertThat(before.note()).startsWith("No fingerprint is stored for version 2 in ");
			assertThat(database.jdbc().queryForObject("SELECT count(*) FROM " + FINGERPRINTS, Integer.class))
				.as("nothing recorded by a check before migrating").isZero();
		});
	}

	@Test
	void aRollbackStoresTheFingerprintOfTheVersionItLeft(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/undo")
			.withPropertyValues("spring.flyway.default-schema=Sales", "migrations.drift.interval=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MigrationOperations.class).rollback("1").outcome())
					.isEqualTo(RunOutcome.ROLLED_BACK);
				assertThat(context.getBean(DriftDetector.class).check().status()).isEqualTo(DriftStatus.NONE);
			});
		assertThat(database.jdbc().queryForList("SELECT version || ' ' || reason FROM " + FINGERPRINTS + " ORDER BY id",
				String.class)).containsExactly("3 migrate", "1 rollback");
	}

	@Test
	void aFingerprintThatCannotBeStoredLeavesTheMigrationASuccess(TestDatabase database, CapturedOutput output) {
		runner(database, "spring.flyway.target=1", "migrations.drift.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed());
		// A table of that name the starter cannot write to.
		database.jdbc().execute("CREATE TABLE " + FINGERPRINTS + " (something_else int)");
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(MigrationStatusHolder.class).current().lastRun().outcome())
				.isEqualTo(RunOutcome.MIGRATED);
		});
		assertThat(output).contains("Drift: the migrate succeeded, but the schema's fingerprint could not be stored in "
				+ "Sales.flyway_schema_history_fingerprints: Could not store");
	}

	@Test
	void oddHistoryTableNamesAreQuoted(TestDatabase database) {
		runner(database, "spring.flyway.table=Schema History").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DriftDetector.class).check().status()).isEqualTo(DriftStatus.NONE);
		});
		assertThat(database.jdbc()
			.queryForObject("SELECT reason FROM \"Sales\".\"Schema History_fingerprints\"", String.class))
			.isEqualTo("migrate");
	}

	private static DriftReport driftAfter(TestDatabase database, String... changes) {
		AtomicReference<DriftReport> report = new AtomicReference<>();
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			for (String change : changes) {
				database.jdbc().execute(change);
			}
			report.set(context.getBean(DriftDetector.class).check());
		});
		return report.get();
	}

	static class ThreadRecordingDriftCheck extends DriftCheck {

		final List<String> threads = new CopyOnWriteArrayList<>();

		ThreadRecordingDriftCheck(DriftDetector detector) {
			super(detector, DriftCheckMode.WARN);
		}

		@Override
		public void atStartup() {
			this.threads.add(Thread.currentThread().getName());
			super.atStartup();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReadyOrderConfiguration {

		@Bean
		ThreadRecordingDriftCheck migrationDriftCheck(DriftDetector detector) {
			return new ThreadRecordingDriftCheck(detector);
		}

		@Bean
		CommandLineRunner slowRunner(ThreadRecordingDriftCheck check) {
			return (args) -> {
				Thread.sleep(1000);
				check.threads.add("runner");
			};
		}

	}

	private static ApplicationContextRunner runner(TestDatabase database, String... properties) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/drift")
			.withPropertyValues("spring.flyway.default-schema=Sales", "migrations.drift.interval=0")
			.withPropertyValues(properties);
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

}
