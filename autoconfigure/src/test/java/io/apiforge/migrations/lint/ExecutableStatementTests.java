package io.apiforge.migrations.lint;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which statements of an undo script cannot run in its transaction, and where each
 * statement starts.
 */
class ExecutableStatementTests {

	@Test
	void statementsCarryTheLineTheyStartOn() {
		List<ExecutableStatement> statements = ExecutableStatement.split("""
				-- a comment
				UPDATE items SET price = NULL;

				ALTER TABLE items
				    DROP COLUMN price;
				""");
		assertThat(statements).extracting(ExecutableStatement::line).containsExactly(2, 4);
		assertThat(statements.get(1).sql()).isEqualTo("ALTER TABLE items\n    DROP COLUMN price");
	}

	@Test
	void statementsPostgresqlRefusesInATransactionAreNamedByTheirKeywords() {
		assertThat(reason("DROP INDEX CONCURRENTLY items_name", 17))
			.isEqualTo("PostgreSQL refuses DROP INDEX CONCURRENTLY inside a transaction block");
		assertThat(reason("create unique index concurrently items_name on items (name)", 17))
			.isEqualTo("PostgreSQL refuses CREATE UNIQUE INDEX CONCURRENTLY inside a transaction block");
		assertThat(reason("REINDEX TABLE CONCURRENTLY items", 17)).contains("REINDEX TABLE CONCURRENTLY");
		assertThat(reason("VACUUM ANALYZE items", 17)).contains("refuses VACUUM inside");
		assertThat(reason("DROP DATABASE other", 17)).contains("refuses DROP DATABASE inside");
	}

	@Test
	void addingAnEnumValueIsRefusedOnlyBeforePostgresql12() {
		assertThat(reason("ALTER TYPE mood ADD VALUE 'meh'", 11)).startsWith("PostgreSQL 11 refuses ALTER TYPE");
		assertThat(reason("ALTER TYPE mood ADD VALUE 'meh'", 12)).isNull();
	}

	@Test
	void statementsThatControlTheTransactionAreRefused() {
		for (String sql : List.of("COMMIT", "BEGIN", "START TRANSACTION", "ROLLBACK", "END")) {
			assertThat(reason(sql, 17)).as(sql).contains("controls the transaction itself");
		}
	}

	@Test
	void ordinaryStatementsAndFunctionBodiesRunInATransaction() {
		assertThat(reason("ALTER TABLE items DROP COLUMN price", 17)).isNull();
		assertThat(reason("DROP INDEX items_name", 17)).isNull();
		assertThat(reason("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", 17)).isNull();
	}

	@Test
	void copyFromStdinIsRecognised() {
		assertThat(ExecutableStatement.split("COPY items FROM STDIN;\n1\tone\n\\.\n"))
			.singleElement()
			.satisfies((statement) -> assertThat(statement.isCopyFromStdin()).isTrue());
	}

	private static String reason(String sql, int serverMajorVersion) {
		return ExecutableStatement.split(sql).get(0).outsideTransactionReason(() -> serverMajorVersion);
	}

}
