package io.apiforge.migrations.status;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SchemaHistoryPage} against the history tables Flyway writes in a real database.
 */
@WithPostgres
class SchemaHistoryPageTests {

	@Test
	void aDatabaseWithoutAHistoryTableHasAnEmptyHistory(TestDatabase database) throws Exception {
		SchemaHistoryPage page = SchemaHistoryPage.read(database.dataSource(), "flyway_schema_history", 0, 20);
		assertThat(page.content()).isEmpty();
		assertThat(page.totalElements()).isZero();
		assertThat(page.totalPages()).isZero();
	}

	@Test
	void aFailedRowIsListedAsFailedAboveTheRowsBeforeIt(TestDatabase database) throws Exception {
		Flyway.configure().dataSource(database.dataSource()).locations("classpath:db/basic").target("1").load().migrate();
		// What Flyway records when a migration that ran outside a transaction fails.
		database.jdbc()
			.update("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
					+ "installed_by, execution_time, success) VALUES (2, '2', 'add price', 'SQL', 'V2__add_price.sql', "
					+ "0, current_user, 7, false)");
		SchemaHistoryPage page = SchemaHistoryPage.read(database.dataSource(), "flyway_schema_history", 0, 20);
		assertThat(page.content()).extracting(MigrationSummary::installedRank).containsExactly(2, 1);
		assertThat(page.content()).extracting(MigrationSummary::state).containsExactly("FAILED", "SUCCESS");
		MigrationSummary failed = page.content().get(0);
		assertThat(failed.script()).isEqualTo("V2__add_price.sql");
		assertThat(failed.executionTime()).hasMillis(7);
		assertThat(failed.installedBy()).isEqualTo(database.username());
		assertThat(failed.installedOn()).isNotNull();
	}

	@Test
	void theHistoryTableOfAConfiguredSchemaIsRead(TestDatabase database) throws Exception {
		Flyway flyway = Flyway.configure()
			.dataSource(database.dataSource())
			.schemas("app")
			.locations("classpath:db/basic")
			.load();
		flyway.migrate();
		SchemaHistoryPage page = SchemaHistoryPage.read(database.dataSource(),
				SchemaHistory.tableOf(flyway.getConfiguration()), 0, 1);
		// Flyway records the schema it created as the first row
		assertThat(page.totalElements()).isEqualTo(3);
		assertThat(page.totalPages()).isEqualTo(3);
		assertThat(page.content()).extracting(MigrationSummary::version).containsExactly("2");
		SchemaHistoryPage last = SchemaHistoryPage.read(database.dataSource(),
				SchemaHistory.tableOf(flyway.getConfiguration()), 2, 1);
		assertThat(last.content()).extracting(MigrationSummary::type).containsExactly("SCHEMA");
	}

}
