package io.apiforge.migrations.replicas;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.apiforge.migrations.autoconfigure.MigrationsReplicasAutoConfiguration;
import io.apiforge.migrations.drift.DriftDetector;
import io.apiforge.migrations.status.DriftStatus;
import io.apiforge.migrations.testsupport.Eventually;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application started with the starter records itself in the registry, keeps its row
 * fresh and removes it when it closes; one-shot modes and {@code enabled=false} never
 * register; bad intervals are refused naming the property.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class ReplicaLifecycleIntegrationTests {

	private static final String TABLE = "flyway_schema_history_replicas";

	@Test
	void aStartedApplicationIsRegisteredWithWhatItExpectsAndLeavesWhenItCloses(TestDatabase database) {
		runner(database).withPropertyValues("spring.application.version=3.1.4", "migrations.replicas.instance-id=pod-a")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ReplicaHeartbeat.class);
				assertThat(context.getBean(ReplicaRegistry.class).replicas()).singleElement().satisfies((replica) -> {
					assertThat(replica.instanceId()).isEqualTo("pod-a");
					assertThat(replica.applicationVersion()).isEqualTo("3.1.4");
					assertThat(replica.expectedVersion()).as("db/basic ends at V2").isEqualTo("2");
					assertThat(replica.live()).isTrue();
				});
				assertThat(context.getBean(DriftDetector.class).check().status())
					.as("the registry's table is the starter's, not drift")
					.isEqualTo(DriftStatus.NONE);
			});
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM " + TABLE, Integer.class))
			.as("an orderly shutdown removes the row")
			.isZero();
	}

	@Test
	void theHeartbeatRefreshesTheRowOnItsThread(TestDatabase database) {
		runner(database).withPropertyValues("migrations.replicas.heartbeat-interval=1s",
				"migrations.replicas.stale-after=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReplicaRegistry registry = context.getBean(ReplicaRegistry.class);
				Instant first = registry.replicas().get(0).lastHeartbeat();
				Eventually.await("a heartbeat on the migrations-replicas thread",
						() -> lastHeartbeat(registry).isAfter(first));
			});
	}

	@Test
	void oneShotModesAndDisabledRegistriesNeverRegister(TestDatabase database) {
		runner(database).withPropertyValues("migrations.mode=migrate-and-exit")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReplicaRegistry.class));
		runner(database).withPropertyValues("migrations.replicas.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReplicaRegistry.class));
		assertThat(database.jdbc()
			.queryForObject("SELECT to_regclass('" + TABLE + "') IS NULL", Boolean.class)).isTrue();
	}

	@Test
	void aUsersRegistryWins(TestDatabase database) {
		runner(database)
			.withBean("mine", ReplicaRegistry.class,
					() -> new ReplicaRegistry(database.dataSource(), new ReplicaTable(null, "flyway_schema_history"),
							new ReplicaIdentity("mine", "my-host", null, Instant.now()), () -> "9",
							Duration.ofMinutes(5)))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ReplicaRegistry.class);
				assertThat(context.getBean(ReplicaRegistry.class).replicas()).extracting(Replica::instanceId)
					.containsExactly("mine");
			});
	}

	@Test
	void aStaleAfterShorterThanTwoHeartbeatsIsRefusedNamingTheProperty(TestDatabase database) {
		runner(database).withPropertyValues("migrations.replicas.heartbeat-interval=30s",
				"migrations.replicas.stale-after=45s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("migrations.replicas.stale-after")
					.hasMessageContaining("twice migrations.replicas.heartbeat-interval");
			});
	}

	@Test
	void aHeartbeatThatCannotBeWrittenWarnsWithTheFixAndTheApplicationRuns(TestDatabase database,
			CapturedOutput output) {
		runner(database).run((context) -> {
			assertThat(context).hasNotFailed();
			// As a revoked grant or a read-only standby would refuse it.
			database.jdbc().execute("ALTER TABLE " + TABLE + " ADD CONSTRAINT no_more CHECK (host = 'nowhere') NOT VALID");
			context.getBean(ReplicaHeartbeat.class).beat();
			assertThat(output).contains("could not write its heartbeat").contains("no_more")
				.contains("migrations.replicas.enabled=false");
		});
	}

	private static Instant lastHeartbeat(ReplicaRegistry registry) {
		try {
			return registry.replicas().get(0).lastHeartbeat();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ApplicationContextRunner runner(TestDatabase database) {
		return MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withConfiguration(AutoConfigurations.of(MigrationsReplicasAutoConfiguration.class))
			.withPropertyValues("migrations.drift.interval=0");
	}

}
