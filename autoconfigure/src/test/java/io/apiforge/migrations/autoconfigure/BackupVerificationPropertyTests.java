package io.apiforge.migrations.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.core.env.MapPropertySource;

import io.apiforge.migrations.backup.pgdump.BackupVerification;
import io.apiforge.migrations.testsupport.LimitedRole;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.backup.verify}: its three levels, its former boolean values, and the
 * start-up check of {@code restore}.
 */
@WithPostgres
class BackupVerificationPropertyTests {

	@ParameterizedTest
	@CsvSource({ "none, NONE", "list, LIST", "restore, RESTORE", "RESTORE, RESTORE", "true, LIST", "false, NONE" })
	void theLevelAndTheFormerBooleanValuesBind(String value, BackupVerification expected, TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.verify=" + value)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(MigrationsProperties.class)
				.satisfies((properties) -> assertThat(properties.getBackup().getVerify()).isEqualTo(expected)));
	}

	@Test
	void aYamlBooleanBindsToo(TestDatabase database) {
		// YAML gives a Boolean, not a String.
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("yaml", Map.of("migrations.backup.verify", Boolean.FALSE))))
			.run((context) -> assertThat(context.getBean(MigrationsProperties.class).getBackup().getVerify())
				.isEqualTo(BackupVerification.NONE));
	}

	@Test
	void anUnknownLevelStopsTheStartUp(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.backup.verify=restored")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("RESTORED"));
	}

	@Test
	void restoreWithARoleThatMayNotCreateDatabasesStopsTheStartUpWithTheFix(TestDatabase database) {
		try (LimitedRole limited = LimitedRole.create(database)) {
			MigrationsContextRunner.withDefaults(database, "classpath:db/basic")
				.withPropertyValues(limited.springProperties())
				.withPropertyValues("migrations.backup.verify=restore", "migrations.backup.directory=target/unused")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("the role \"" + limited.name() + "\" may not create databases (no CREATEDB)"));
		}
	}

}
