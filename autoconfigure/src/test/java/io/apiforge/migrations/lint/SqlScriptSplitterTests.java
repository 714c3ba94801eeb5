package io.apiforge.migrations.lint;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Splitting real migrations into statements: what hides a semicolon, and where each
 * statement starts.
 */
class SqlScriptSplitterTests {

	@Test
	void splitsAtSemicolonsAndReportsTheLineOfEachStatementsFirstToken() {
		List<SqlStatement> statements = SqlScriptSplitter.split("""
				-- header comment
				CREATE TABLE a (id int);

				/* block */ ALTER TABLE a
				  ADD COLUMN b text;
				SELECT 1""");
		assertThat(statements).extracting(SqlStatement::line).containsExactly(2, 4, 6);
		assertThat(statements).extracting(SqlStatement::sql)
			.containsExactly("CREATE TABLE a (id int)", "ALTER TABLE a\n  ADD COLUMN b text", "SELECT 1");
	}

	@Test
	void semicolonsInCommentsLiteralsAndQuotedIdentifiersDoNotSplit() {
		List<SqlStatement> statements = SqlScriptSplitter.split("""
				INSERT INTO t VALUES ('a;b', 'it''s; fine', E'esc\\'aped; still', "odd;""name");
				-- a comment; with a semicolon
				/* outer /* nested; */ still a comment; */
				SELECT 2;
				""");
		assertThat(statements).hasSize(2);
		assertThat(statements.get(0).tokens()).filteredOn((token) -> token.type() == SqlToken.Type.STRING)
			.extracting(SqlToken::text)
			.containsExactly("a;b", "it's; fine", "esc'aped; still");
		assertThat(statements.get(0).tokens()).filteredOn((token) -> token.type() == SqlToken.Type.QUOTED_IDENTIFIER)
			.extracting(SqlToken::text)
			.containsExactly("odd;\"name");
		assertThat(statements.get(1).line()).isEqualTo(4);
	}

	@Test
	void dollarQuotedBodiesAreOneToken() {
		List<SqlStatement> statements = SqlScriptSplitter.split("""
				CREATE FUNCTION f() RETURNS trigger AS $$
				BEGIN
				  UPDATE t SET x = 1; -- not the end
				  RETURN NEW;
				END;
				$$ LANGUAGE plpgsql;
				DO $body$ BEGIN EXECUTE 'ALTER TABLE t DROP COLUMN x'; END $body$;
				SELECT $1, a$b FROM t;
				""");
		assertThat(statements).extracting(SqlStatement::line).containsExactly(1, 7, 8);
		assertThat(statements.get(1).tokens()).extracting(SqlToken::type)
			.containsExactly(SqlToken.Type.WORD, SqlToken.Type.STRING);
		assertThat(statements.get(2).tokens()).extracting(SqlToken::text).contains("$1", "a$b");
	}

	@Test
	void sqlStandardFunctionBodiesKeepTheirSemicolons() {
		List<SqlStatement> statements = SqlScriptSplitter.split("""
				CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql
				BEGIN ATOMIC
				  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;
				  SELECT 2;
				END;
				SELECT 3;
				""");
		assertThat(statements).extracting(SqlStatement::line).containsExactly(1, 6);
	}

	@Test
	void copyFromStdinDataIsSkippedUpToTheEndMarker() {
		List<SqlStatement> statements = SqlScriptSplitter.split("""
				COPY items (id, name) FROM stdin;
				1	it's; odd
				2	DROP TABLE items;
				\\.
				SELECT 4;
				""");
		assertThat(statements).hasSize(2);
		assertThat(statements.get(1).sql()).isEqualTo("SELECT 4");
		assertThat(statements.get(1).line()).isEqualTo(5);
	}

	@Test
	void suppressionsBelongToTheNextStatement() {
		List<SqlStatement> statements = SqlScriptSplitter.split("""
				SELECT 1;
				-- migrations:allow drop-column nobody reads it since 2.3
				-- migrations:allow drop-table
				ALTER TABLE t DROP COLUMN c;
				""");
		assertThat(statements.get(0).suppressions()).isEmpty();
		assertThat(statements.get(1).suppressions()).containsExactly(
				new Suppression(2, "drop-column", "nobody reads it since 2.3"), new Suppression(3, "drop-table", null));
	}

	@Test
	void unterminatedLiteralsAndCommentsRunToTheEndWithoutFailing() {
		for (String script : new String[] { "SELECT 'open", "SELECT $$ open", "SELECT 1 /* open /* nested */",
				"SELECT \"open", "COPY t FROM STDIN;\n1\n", "E'\\", ";;;", "", "$", "$a", "BEGIN ATOMIC" }) {
			assertThatNoException().as(script).isThrownBy(() -> SqlScriptSplitter.split(script));
		}
		assertThat(SqlScriptSplitter.split(";;\n;")).isEmpty();
	}

	@Test
	void aLeadingByteOrderMarkIsSkippedAsFlywaySkipsIt() {
		List<SqlStatement> statements = SqlScriptSplitter.split("\uFEFFDROP TABLE items;");
		assertThat(statements).singleElement().satisfies((statement) -> {
			assertThat(statement.tokens().get(0).is("DROP")).isTrue();
			assertThat(statement.sql()).isEqualTo("DROP TABLE items");
		});
	}

}
