package io.apiforge.migrations.operations;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import io.apiforge.migrations.autoconfigure.MigrationsContractAutoConfiguration;
import io.apiforge.migrations.backup.BackupKind;
import io.apiforge.migrations.autoconfigure.MigrationsReplicasAutoConfiguration;
import io.apiforge.migrations.drift.DriftDetector;
import io.apiforge.migrations.lint.LintFailedException;
import io.apiforge.migrations.status.ContractStatus;
import io.apiforge.migrations.status.DriftStatus;
import io.apiforge.migrations.status.RunOutcome;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two versions of an application on one database: "old" (expand V1..V2) keeps running
 * and heartbeating, "new" (expand V1..V3, and the contract V3 that drops the column the
 * old one reads, requiring version 3). The contract waits while the old one is live,
 * runs once it is gone, and can be forced.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class ContractMigrationsIntegrationTests {

	private static final String PRICE_EXISTS = "SELECT count(*) FROM information_schema.columns "
			+ "WHERE table_name = 'items' AND column_name = 'price'";

	@Test
	void theContractWaitsWhileAnOldReplicaIsLiveAndRunsOnceItHasClosed(TestDatabase database, CapturedOutput output,
			@TempDir Path backups) {
		old(database).run((old) -> {
			assertThat(old).hasNotFailed();
			current(database).withPropertyValues("migrations.backup.strategy=jdbc",
					"migrations.backup.directory=" + backups).run((current) -> {
				assertThat(current).hasNotFailed();
				ContractStatus waiting = current.getBean(ContractMigrations.class).status();
				assertThat(waiting.state()).isEqualTo(ContractStatus.State.WAITING);
				assertThat(waiting.migration()).isEqualTo("V3 (drop price)");
				assertThat(waiting.requiredVersion()).isEqualTo("3");
				assertThat(waiting.waiting()).isEqualTo(1);
				assertThat(waiting.blockers()).singleElement().satisfies((blocker) -> {
					assertThat(blocker.instance()).isEqualTo("old");
					assertThat(blocker.applicationVersion()).isEqualTo("1.4.0");
					assertThat(blocker.expectedVersion()).isEqualTo("2");
				});
				assertThat(output).contains("Contract V3 (drop price) waits for 1 replica still expecting version 2: ")
					.contains("(1.4.0)");
				assertThat(priceColumns(database)).as("the old replica still reads price").isEqualTo(1);
				old.close();
				Eventually.await("the contract runs at the next check",
						() -> current.getBean(ContractMigrations.class).status()
							.state() == ContractStatus.State.APPLIED);
				assertThat(priceColumns(database)).isZero();
				ContractStatus applied = current.getBean(ContractMigrations.class).status();
				assertThat(applied.lastRun()).isNotNull();
				assertThat(applied.lastRun().executed()).extracting((migration) -> migration.version())
					.containsExactly("3");
				assertThat(applied.forcedBy()).isNull();
				assertThat(applied.lastRun().backup()).as("a backup before the contract, named for it")
					.isNotNull()
					.satisfies((backup) -> {
						assertThat(backup.kind()).isEqualTo(BackupKind.PRE_CONTRACT);
						assertThat(backup.location()).contains("_pre-contract_v0_to_v3.");
					});
				assertThat(output).as("the contract's history was created at the first check, so Flyway never "
						+ "looked at it missing").doesNotContain("flyway_schema_history_contract\" does not exist yet");
				assertThat(current.getBean(DriftDetector.class).check().status())
					.as("the dropped column is the new reference of version 3, not drift")
					.isEqualTo(DriftStatus.NONE);
				assertThat(database.jdbc()
					.queryForObject("SELECT max(version) FROM flyway_schema_history", String.class))
					.as("the application's history is untouched by the contract").isEqualTo("3");
			});
		});
	}

	@Test
	void theContractRunsOnceTheOldReplicasHeartbeatIsStale(TestDatabase database) {
		// The current instance judges the old one's row by its own stale-after: 10m, not the 2s
		// of current(), so that a slow start (a loaded machine) cannot make the row stale before
		// the test does; a heartbeat an hour old is stale either way.
		ApplicationContextRunner patient = current(database).withPropertyValues("migrations.replicas.stale-after=10m");
		old(database).withPropertyValues("migrations.replicas.heartbeat-interval=1h",
				"migrations.replicas.stale-after=2h")
			.run((old) -> patient.run((current) -> {
				assertThat(current.getBean(ContractMigrations.class).status().state())
					.isEqualTo(ContractStatus.State.WAITING);
				// As an instance killed with kill -9 would leave its row.
				database.jdbc()
					.update("UPDATE flyway_schema_history_replicas SET heartbeat_at = now() - interval '1 hour' "
							+ "WHERE instance_id = 'old'");
				Eventually.await("the contract runs at the next check",
						() -> current.getBean(ContractMigrations.class).status()
							.state() == ContractStatus.State.APPLIED);
				assertThat(priceColumns(database)).isZero();
			}));
	}

	@Test
	void aForcedContractRunsAtOnceAndRecordsWho(TestDatabase database, CapturedOutput output) {
		old(database).run((old) -> current(database).withPropertyValues("migrations.contract.check-interval=0")
			.run((current) -> {
				ContractMigrations contract = current.getBean(ContractMigrations.class);
				assertThat(contract.status().state()).isEqualTo(ContractStatus.State.WAITING);
				ContractStatus forced = contract.force("alice");
				assertThat(forced.state()).isEqualTo(ContractStatus.State.APPLIED);
				assertThat(forced.forcedBy()).isEqualTo("alice");
				assertThat(forced.forcedAt()).isNotNull();
				assertThat(priceColumns(database)).isZero();
				assertThat(output).contains("Contract migrations forced by alice");
			}));
	}

	@Test
	void anExternalConsumerBlocksLikeALiveReplicaUntilItsVersionIsRaised(TestDatabase database) {
		current(database).withPropertyValues("migrations.contract.external.nightly-report=2",
				"migrations.contract.check-interval=0")
			.run((current) -> {
				ContractStatus status = current.getBean(ContractMigrations.class).status();
				assertThat(status.state()).isEqualTo(ContractStatus.State.WAITING);
				assertThat(status.blockers()).singleElement().satisfies((blocker) -> {
					assertThat(blocker.instance()).isEqualTo("nightly-report");
					assertThat(blocker.host()).isEqualTo(ContractStatus.EXTERNAL);
					assertThat(blocker.expectedVersion()).isEqualTo("2");
				});
				assertThat(priceColumns(database)).isEqualTo(1);
			});
		current(database).withPropertyValues("migrations.contract.external.nightly-report=3",
				"migrations.contract.check-interval=0")
			.run((current) -> {
				assertThat(current.getBean(ContractMigrations.class).status().state())
					.isEqualTo(ContractStatus.State.APPLIED);
				assertThat(priceColumns(database)).isZero();
			});
	}

	@Test
	void aMigrateAndExitJobWithOldReplicasAliveStartsNormallyAndLeavesTheContractWaiting(TestDatabase database,
			CapturedOutput output) {
		old(database).run((old) -> current(database).withPropertyValues("migrations.mode=migrate-and-exit")
			.run((job) -> {
				assertThat(job).hasNotFailed();
				assertThat(job.getBean(ContractMigrations.class).status().state())
					.isEqualTo(ContractStatus.State.WAITING);
				assertThat(output).contains("Contract V3 (drop price) waits for 1 replica");
				assertThat(priceColumns(database)).isEqualTo(1);
			}));
	}

	@Test
	void contractLocationsThatAreTheApplicationsOwnAreRefusedNamingTheProperty(TestDatabase database) {
		current(database).withPropertyValues("migrations.contract.locations=classpath:db/ahead")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("migrations.contract.locations")
				.hasMessageContaining("spring.flyway.locations"));
	}

	@Test
	void aFailedContractFailsAMigrateAndExitJobButNotARunningApplication(TestDatabase database) {
		current(database)
			.withPropertyValues("migrations.mode=migrate-and-exit",
					"migrations.contract.locations=classpath:db/contract-broken")
			.run((job) -> {
				assertThat(job).hasFailed();
				assertThat(job.getStartupFailure()).hasMessageContaining("The contract migrations failed")
					.hasMessageContaining("V3__drop_price.sql failed at line 3")
					.hasMessageContaining("no_such_column");
			});
		assertThat(database.jdbc().queryForObject("SELECT max(version) FROM flyway_schema_history", String.class))
			.as("the expand migrations stay applied").isEqualTo("3");
		current(database).withPropertyValues("migrations.contract.locations=classpath:db/contract-broken")
			.run((running) -> {
				assertThat(running).hasNotFailed();
				assertThat(running.getBean(ContractMigrations.class).status().state())
					.isEqualTo(ContractStatus.State.FAILED);
			});
		assertThat(priceColumns(database)).as("PostgreSQL rolled the contract back").isEqualTo(1);
	}

	@Test
	void aDropColumnInAnExpandMigrationIsAnErrorWhoseRecipeNamesTheContractLocations(TestDatabase database) {
		old(database).run((old) -> assertThat(old).hasNotFailed());
		old(database)
			.withPropertyValues("spring.flyway.locations=classpath:db/basic,classpath:db/expand-drop",
					"migrations.lint.fail-on=error")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LintFailedException.class)
					.hasMessageContaining("drop-column")
					.hasMessageContaining("V3__drop_price.sql");
				LintFailedException failure = (LintFailedException) NestedExceptionUtils
					.getMostSpecificCause(context.getStartupFailure());
				assertThat(failure.getAction()).contains("drop-column: ")
					.contains("migrations.contract.locations")
					.contains("docs/zero-downtime.md#contract-migrations");
			});
		assertThat(priceColumns(database)).isEqualTo(1);
	}

	@Test
	void aDropColumnInAContractMigrationIsExpectedSoNotReportedAndItRuns(TestDatabase database,
			CapturedOutput output) {
		current(database)
			.withPropertyValues("migrations.contract.locations=classpath:db/contract-safe",
					"migrations.contract.check-interval=0", "migrations.lint.fail-on=warning")
			.run((current) -> {
				assertThat(current).hasNotFailed();
				ContractStatus status = current.getBean(ContractMigrations.class).status();
				assertThat(status.state()).isEqualTo(ContractStatus.State.APPLIED);
				assertThat(status.lastRun().executed()).extracting((migration) -> migration.version())
					.containsExactly("3");
			});
		assertThat(priceColumns(database)).isZero();
		assertThat(output).as("the contract script was linted")
			.contains("Migration lint: no findings in 1 pending SQL migration.")
			.doesNotContain("drop-column");
	}

	@Test
	void aContractMigrationWithAnotherFindingAtFailOnIsRefusedBeforeTheLock(TestDatabase database,
			CapturedOutput output) {
		// db/contract drops the column without a lock_timeout: the drop is expected,
		// the missing lock_timeout is not.
		current(database).withPropertyValues("migrations.contract.check-interval=0", "migrations.lint.fail-on=warning")
			.run((current) -> {
				assertThat(current).hasNotFailed();
				ContractMigrations contract = current.getBean(ContractMigrations.class);
				ContractStatus status = contract.status();
				assertThat(status.state()).isEqualTo(ContractStatus.State.FAILED);
				assertThat(status.error()).contains("missing-lock-timeout")
					.contains("V3__drop_price.sql")
					.doesNotContain("drop-column");
				assertThat(status.lastRun()).satisfies((run) -> {
					assertThat(run.outcome()).isEqualTo(RunOutcome.REFUSED);
					assertThat(run.lockWait()).as("the lock was not taken").isNull();
					assertThat(run.backup()).isNull();
					assertThat(run.executed()).isEmpty();
				});
				assertThatExceptionOfType(LintFailedException.class).isThrownBy(() -> contract.force("alice"))
					.withMessageContaining("missing-lock-timeout");
				assertThat(contract.status().state()).isEqualTo(ContractStatus.State.FAILED);
			});
		assertThat(priceColumns(database)).isEqualTo(1);
		assertThat(output).as("linted once, not again when forced")
			.containsOnlyOnce("Migration lint: V3__drop_price.sql line 3 [warning] missing-lock-timeout");
	}

	private static int priceColumns(TestDatabase database) {
		return database.jdbc().queryForObject(PRICE_EXISTS, Integer.class);
	}

	private static ApplicationContextRunner old(TestDatabase database) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsReplicasAutoConfiguration.class,
					MigrationsContractAutoConfiguration.class))
			.withPropertyValues("migrations.drift.interval=0", "migrations.replicas.instance-id=old",
					"spring.application.version=1.4.0", "migrations.replicas.heartbeat-interval=1s",
					"migrations.replicas.stale-after=2s");
	}

	private static ApplicationContextRunner current(TestDatabase database) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/ahead")
			.withConfiguration(AutoConfigurations.of(MigrationsReplicasAutoConfiguration.class,
					MigrationsContractAutoConfiguration.class))
			.withPropertyValues("migrations.drift.interval=0", "migrations.replicas.instance-id=new",
					"spring.application.version=1.5.0", "migrations.replicas.heartbeat-interval=1s",
					"migrations.replicas.stale-after=2s", "migrations.contract.locations=classpath:db/contract",
					"migrations.contract.check-interval=1s");
	}

}
