package io.apiforge.migrations.autoconfigure;

import org.junit.jupiter.api.Test;

import io.apiforge.migrations.lifecycle.BackgroundModeRefusedException;
import io.apiforge.migrations.operations.BackgroundMigration;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrations.mode=background} is refused at start-up, before anything is locked
 * or migrated, where Spring Boot would use the schema during start-up.
 */
@WithPostgres
class BackgroundModeCheckTests {

	@Test
	void jpaThatValidatesTheSchemaRefusesBackgroundMode(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=background", "spring.jpa.hibernate.ddl-auto=validate")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(BackgroundModeRefusedException.class)
					.hasMessageStartingWith("migrations.mode=background is refused: spring.jpa.hibernate.ddl-auto=validate "
							+ "makes Hibernate validate the schema while the application starts")
					.satisfies((failure) -> assertThat(((BackgroundModeRefusedException) failure).getAction())
						.contains("spring.jpa.hibernate.ddl-auto=none")
						.contains("migrations.mode=migrate"));
			});
		assertThat(tables(database)).isZero();
	}

	@Test
	void hibernatesOwnSchemaGenerationPropertyRefusesBackgroundModeToo(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=background", "spring.jpa.properties.hibernate.hbm2ddl.auto=update")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BackgroundModeRefusedException.class)
				.hasMessageContaining("spring.jpa.properties.hibernate.hbm2ddl.auto=update makes Hibernate update"));
	}

	@Test
	void sqlInitializationScriptsRefuseBackgroundMode(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=background", "spring.sql.init.mode=always")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(BackgroundModeRefusedException.class)
				.hasMessageContaining("spring.sql.init.mode=always")
				.satisfies((failure) -> assertThat(((BackgroundModeRefusedException) failure).getAction())
					.contains("remove spring.sql.init.mode")));
	}

	@Test
	void backgroundModeStartsWithJpaThatLeavesTheSchemaAlone(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.mode=background", "spring.jpa.hibernate.ddl-auto=none",
					"spring.sql.init.mode=never")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(BackgroundMigration.class);
			});
		// Not migrated: without SpringApplication, no ApplicationReadyEvent starts the run.
		assertThat(tables(database)).isZero();
	}

	@Test
	void otherModesIgnoreJpaSchemaValidation(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("spring.jpa.hibernate.ddl-auto=validate")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(BackgroundMigration.class);
			});
	}

	private static int tables(TestDatabase database) {
		return database.jdbc()
			.queryForObject("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", Integer.class);
	}

}
