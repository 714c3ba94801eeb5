package io.apiforge.migrations.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

import io.apiforge.migrations.fingerprint.ObjectKind;
import io.apiforge.migrations.lint.LintSeverity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What a test does with its {@link Migrations}, on a set of migrations whose undo
 * scripts are right and which the lint finds safe.
 */
class MigrationsTests {

	@RegisterExtension
	static MigrationsExtension migrations = MigrationsExtension.locations("classpath:db/roundtrip");

	private String databaseInBeforeEach;

	@BeforeEach
	void rememberTheDatabase(Migrations migrations) {
		this.databaseInBeforeEach = migrations.databaseName();
	}

	@Test
	void aBeforeEachMethodGetsTheTestsOwnDatabase(Migrations migrations) {
		assertThat(migrations.databaseName()).isEqualTo(this.databaseInBeforeEach);
	}

	@Test
	void migrateToAVersionBelowTheTemplatesFirstStartsEmptyThenGoesUp() {
		try (Migrations early = new Migrations(template())) {
			early.migrateTo("1");
			assertThat(early.version()).isEqualTo("1");
			assertThat(early.fingerprint().find(ObjectKind.COLUMN, "public.items.stock")).isEmpty();
			early.migrateTo("2");
			assertThat(early.version()).isEqualTo("2");
			assertThat(early.fingerprint().find(ObjectKind.COLUMN, "public.items.stock")).isPresent();
			early.migrate();
			assertThat(early.version()).isEqualTo("3");
		}
	}

	@Test
	void migrateToBelowTheCurrentVersionIsRefusedWithTheWayOut(Migrations migrations) {
		assertThatIllegalStateException().isThrownBy(() -> migrations.migrateTo("1"))
			.withMessageContaining("it is at version 3 already")
			.withMessageContaining("rollbackTo(\"1\")");
	}

	@Test
	void rollbackToRunsTheUndoScripts(Migrations migrations) {
		migrations.rollbackTo("1");
		assertThat(migrations.version()).isEqualTo("1");
		assertThat(migrations.fingerprint().find(ObjectKind.COLUMN, "public.items.stock")).isEmpty();
		assertThat(migrations.fingerprint().find(ObjectKind.VIEW, "public.item_names")).isEmpty();
	}

	@Test
	void rollbackBelowAVersionWithoutUndoIsRefusedNamingIt(Migrations migrations) {
		assertThatIllegalStateException().isThrownBy(() -> migrations.rollbackTo("base"))
			.withMessageContaining("Version 1 (V1__create_items.sql) has no undo");
		assertThat(migrations.version()).isEqualTo("3");
	}

	@Test
	void sqlRunsAllItsStatementsOrNone(Migrations migrations) {
		assertThatIllegalStateException()
			.isThrownBy(() -> migrations.sql("INSERT INTO items (name) VALUES ('kept?')",
					"INSERT INTO items (name) VALUES (NULL)"))
			.withMessageContaining("nothing of this sql(…) call was kept")
			.withMessageContaining("VALUES (NULL)");
		assertThat(Rows.count(migrations, "items")).isZero();
		migrations.sql("INSERT INTO items (name) VALUES ('a')", "INSERT INTO items (name) VALUES ('b')");
		assertThat(Rows.count(migrations, "items")).isEqualTo(2);
	}

	@Test
	void jdbcUrlAndCredentialsConnectToTheTestsDatabase(Migrations migrations) throws SQLException {
		try (Connection connection = DriverManager.getConnection(migrations.jdbcUrl(), migrations.username(),
				migrations.password()); Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT current_database()")) {
			result.next();
			assertThat(result.getString(1)).isEqualTo(migrations.databaseName());
		}
	}

	@Test
	void roundTripPassesWhenEveryUndoReversesItsMigration(Migrations migrations) {
		assertThat(migrations.assertRoundTrip()).containsExactly("2", "3");
	}

	@Test
	void roundTripLeavesTheTestsDatabaseAlone(Migrations migrations) {
		migrations.sql("INSERT INTO items (name) VALUES ('kept')");
		migrations.assertRoundTrip();
		assertThat(Rows.count(migrations, "items")).isOne();
		assertThat(migrations.version()).isEqualTo("3");
	}

	@Test
	void lintPassesOnSafeMigrations(Migrations migrations) {
		assertThat(migrations.assertLint(LintSeverity.WARNING).scripts()).containsExactly("V1__create_items.sql",
				"V2__add_stock.sql", "V3__item_names.sql");
	}

	@Test
	void noDriftOnAFreshCloneNorAfterSeedData(Migrations migrations) {
		migrations.assertNoDrift();
		migrations.sql("INSERT INTO items (name, stock) SELECT 'item ' || n, n FROM generate_series(1, 100) AS n",
				"ANALYZE items");
		migrations.assertNoDrift();
	}

	@Test
	void noDriftAtAnEarlierVersion() {
		try (Migrations early = new Migrations(template())) {
			early.migrateTo("2");
			early.assertNoDrift();
		}
	}

	@Test
	void driftAfterAHandMadeChangeNamesEachObject(Migrations migrations) {
		migrations.sql("CREATE INDEX items_stock_idx ON items (stock)", "ALTER TABLE items ALTER COLUMN name DROP NOT NULL");
		assertThatExceptionOfType(AssertionFailedError.class).isThrownBy(migrations::assertNoDrift)
			.withMessageContaining("Schema drift in " + migrations.databaseName() + ": at version 3")
			.withMessageContaining("added index public.items_stock_idx")
			.withMessageContaining("changed column public.items.name")
			.satisfies((failure) -> {
				assertThat(failure.isExpectedDefined()).isTrue();
				assertThat(failure.getActual().getStringRepresentation()).contains("items_stock_idx");
			});
	}

	@Test
	void theSharedDatabaseIsNotATestsOwn(Migrations migrations) {
		Migrations shared = MigrationsTests.migrations.shared();
		assertThat(shared.databaseName()).isNotEqualTo(migrations.databaseName());
		assertThat(MigrationsTests.migrations.shared()).isSameAs(shared);
	}

	private static TemplateDatabase template() {
		return MigrationsTests.migrations.shared().template();
	}

}
