package io.apiforge.migrations.fingerprint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

import io.apiforge.migrations.backup.jdbc.RichSchema;
import io.apiforge.migrations.fingerprint.ObjectDifference.Change;
import io.apiforge.migrations.testsupport.LimitedRole;
import io.apiforge.migrations.testsupport.PostgresServer;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The fingerprint read from a real PostgreSQL: stable (the same schema gives equal
 * fingerprints and the same JSON, whatever happens to its data), complete (each kind of
 * hand change is found, with the right object and both definitions), and without what
 * the migrations do not manage (the history table, extensions' objects).
 */
@WithPostgres
class FingerprintReaderTests {

	private static final List<String> RICH_SCHEMAS = List.of("public", "Sales");

	private static final String HISTORY = "flyway_schema_history";

	@Test
	void theSameSchemaReadTwiceIsEqualAndGivesTheSameJson(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		SchemaFingerprint first = read(database);
		SchemaFingerprint second = read(database);
		assertThat(second).isEqualTo(first);
		assertThat(second.toJson()).isEqualTo(first.toJson());
		assertThat(second.digest()).isEqualTo(first.digest());
		assertThat(first.postgresqlVersion()).isGreaterThanOrEqualTo(13);
		assertThat(first.objects()).extracting(SchemaObject::kind)
			.contains(ObjectKind.SCHEMA, ObjectKind.ENUM, ObjectKind.DOMAIN, ObjectKind.COMPOSITE_TYPE,
					ObjectKind.SEQUENCE, ObjectKind.TABLE, ObjectKind.COLUMN, ObjectKind.CONSTRAINT, ObjectKind.INDEX,
					ObjectKind.VIEW, ObjectKind.MATERIALIZED_VIEW, ObjectKind.FUNCTION, ObjectKind.TRIGGER,
					ObjectKind.PRIVILEGES, ObjectKind.OWNER);
		assertThat(definition(first, ObjectKind.COLUMN, "\"Sales\".\"Customer\".\"Full Name\""))
			.isEqualTo("text COLLATE \"C\" NOT NULL");
		assertThat(definition(first, ObjectKind.COLUMN, "\"Sales\".\"Customer\".name_length"))
			.isEqualTo("integer GENERATED ALWAYS AS (length(\"Full Name\")) STORED");
		assertThat(definition(first, ObjectKind.TABLE, "\"Sales\".events"))
			.isEqualTo("partitioned table PARTITION BY RANGE (at)");
		assertThat(definition(first, ObjectKind.ENUM, "\"Sales\".mood")).isEqualTo("'sad', 'ok', 'happy', 'it''s'");
		assertThat(definition(first, ObjectKind.SEQUENCE, "public.invoice_numbers"))
			.as("the definition, not the value it reached")
			.isEqualTo("AS bigint START 1000 INCREMENT 10 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE");
	}

	@Test
	void theJsonReadsBackToTheSameFingerprint(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		SchemaFingerprint fingerprint = read(database);
		String json = fingerprint.toJson();
		SchemaFingerprint parsed = SchemaFingerprint.fromJson(json);
		assertThat(parsed).isEqualTo(fingerprint);
		assertThat(parsed.toJson()).isEqualTo(json);
		assertThat(json).startsWith("{\n  \"format\": 1,\n  \"postgresql\": " + fingerprint.postgresqlVersion()
				+ ",\n  \"schemas\": [\"public\", \"Sales\"],\n  \"objects\": [\n    {\"kind\": \"schema\", ");
	}

	@Test
	void dataStatisticsAndSequenceValuesAreNoDifference(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		FingerprintDifference difference = differenceAfter(database, "VACUUM ANALYZE",
				"SELECT nextval('public.invoice_numbers')", "SELECT setval('public.invoice_numbers', 5000)",
				"INSERT INTO \"Sales\".\"Customer\" (\"Full Name\", balance) SELECT 'new ' || g, g FROM generate_series(1, 50) g",
				"UPDATE \"Sales\".\"Customer\" SET mood = 'sad' WHERE id < 200",
				"DELETE FROM \"Sales\".events WHERE id % 2 = 0", "REFRESH MATERIALIZED VIEW \"Sales\".customer_counts",
				"ANALYZE \"Sales\".events", "VACUUM FULL public.audit", "REINDEX TABLE \"Sales\".\"Customer\"");
		assertThat(difference.isEmpty()).as(difference.describe()).isTrue();
		assertThat(difference.describe()).isEqualTo("no differences");
	}

	@Test
	void anAddedIndexIsFound(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		FingerprintDifference difference = differenceAfter(database,
				"CREATE INDEX customer_name ON \"Sales\".\"Customer\" (\"Full Name\")");
		assertThat(difference.objects()).containsExactly(new ObjectDifference(Change.ADDED, ObjectKind.INDEX,
				"\"Sales\".customer_name", null,
				"CREATE INDEX customer_name ON \"Sales\".\"Customer\" USING btree (\"Full Name\")"));
		assertThat(difference.added()).hasSize(1);
		assertThat(difference.describe()).isEqualTo("added index \"Sales\".customer_name: "
				+ "\"CREATE INDEX customer_name ON \"Sales\".\"Customer\" USING btree (\"Full Name\")\"");
	}

	@Test
	void aDroppedColumnDefaultIsFound(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		FingerprintDifference difference = differenceAfter(database,
				"ALTER TABLE public.audit ALTER COLUMN at DROP DEFAULT");
		assertThat(difference.objects()).containsExactly(new ObjectDifference(Change.CHANGED, ObjectKind.COLUMN,
				"public.audit.at", "timestamp with time zone DEFAULT now()", "timestamp with time zone"));
		assertThat(difference.describe()).isEqualTo("changed column public.audit.at: "
				+ "stored \"timestamp with time zone DEFAULT now()\", live \"timestamp with time zone\"");
	}

	@Test
	void aChangedFunctionBodyIsFound(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		FingerprintDifference difference = differenceAfter(database,
				"CREATE OR REPLACE FUNCTION public.audit_customer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
						+ "INSERT INTO public.audit (customer_id, note) VALUES (NEW.id, 'edited by hand; ' || TG_OP); "
						+ "RETURN NEW; END $$");
		assertThat(difference.objects()).singleElement().satisfies((object) -> {
			assertThat(object.change()).isEqualTo(Change.CHANGED);
			assertThat(object.kind()).isEqualTo(ObjectKind.FUNCTION);
			assertThat(object.identity()).isEqualTo("public.audit_customer()");
			assertThat(object.stored()).startsWith("CREATE OR REPLACE FUNCTION public.audit_customer()")
				.contains("'changed; '");
			assertThat(object.live()).contains("'edited by hand; '");
		});
		assertThat(difference.describe()).startsWith("changed function public.audit_customer(): stored \"…")
			.contains("VALUES (NEW.id, 'changed; ' || TG_OP)")
			.contains("VALUES (NEW.id, 'edited by hand; ' || TG_OP)")
			.doesNotContain("\n");
	}

	@Test
	void anInvalidIndexLeftBehindByAFailedConcurrentBuildIsFound(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		SchemaFingerprint before = read(database);
		// Every audit row says 'changed; INSERT': the unique index cannot be built.
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> database.jdbc()
			.execute("CREATE UNIQUE INDEX CONCURRENTLY audit_note ON public.audit (note)"));
		FingerprintDifference difference = FingerprintDifference.compare(before, read(database));
		assertThat(difference.objects()).containsExactly(new ObjectDifference(Change.ADDED, ObjectKind.INDEX,
				"public.audit_note", null, "CREATE UNIQUE INDEX audit_note ON public.audit USING btree (note) -- INVALID"));
	}

	@Test
	void anAddedTriggerIsFound(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		FingerprintDifference difference = differenceAfter(database,
				"CREATE TRIGGER customer_deleted AFTER DELETE ON \"Sales\".\"Customer\" FOR EACH ROW "
						+ "EXECUTE FUNCTION public.audit_customer()",
				"ALTER TABLE \"Sales\".\"Customer\" DISABLE TRIGGER customer_audit");
		assertThat(difference.objects()).containsExactly(
				new ObjectDifference(Change.CHANGED, ObjectKind.TRIGGER, "customer_audit ON \"Sales\".\"Customer\"",
						"CREATE TRIGGER customer_audit AFTER INSERT OR UPDATE ON \"Sales\".\"Customer\" FOR EACH ROW "
								+ "EXECUTE FUNCTION public.audit_customer()",
						"CREATE TRIGGER customer_audit AFTER INSERT OR UPDATE ON \"Sales\".\"Customer\" FOR EACH ROW "
								+ "EXECUTE FUNCTION public.audit_customer() -- DISABLED"),
				new ObjectDifference(Change.ADDED, ObjectKind.TRIGGER, "customer_deleted ON \"Sales\".\"Customer\"",
						null, "CREATE TRIGGER customer_deleted AFTER DELETE ON \"Sales\".\"Customer\" FOR EACH ROW "
								+ "EXECUTE FUNCTION public.audit_customer()"));
	}

	@Test
	void aChangedGrantIsAPrivilegeDifferenceAndARevokedOneIsNone(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		SchemaFingerprint before = read(database);
		try (LimitedRole role = LimitedRole.create(database)) {
			try {
				database.jdbc().execute("GRANT SELECT, UPDATE (email) ON \"Sales\".\"Customer\" TO " + role.name());
				FingerprintDifference difference = FingerprintDifference.compare(before, read(database));
				assertThat(difference.objects()).containsExactly(
						new ObjectDifference(Change.ADDED, ObjectKind.PRIVILEGES,
								"COLUMN \"Sales\".\"Customer\".email", null, "UPDATE TO " + role.name()),
						new ObjectDifference(Change.CHANGED, ObjectKind.PRIVILEGES, "TABLE \"Sales\".\"Customer\"",
								"DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE TO " + database.username(),
								"DELETE, INSERT, REFERENCES, SELECT, TRIGGER, TRUNCATE, UPDATE TO " + database.username() + "\n"
										+ "SELECT TO " + role.name()));
				assertThat(difference.objects()).allSatisfy(
						(object) -> assertThat(object.severity()).isEqualTo(Severity.PRIVILEGES));
				assertThat(difference.only(Severity.SCHEMA).isEmpty()).isTrue();
				assertThat(difference.only(Severity.PRIVILEGES).objects()).hasSize(2);
				revoke(database, role);
				FingerprintDifference revoked = FingerprintDifference.compare(before, read(database));
				assertThat(revoked.isEmpty()).as(revoked.describe()).isTrue();
			}
			finally {
				// a role with grants cannot be dropped
				revoke(database, role);
			}
		}
	}

	@Test
	void aNotValidatedConstraintDiffersFromTheValidatedOne(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		database.jdbc().execute("ALTER TABLE public.audit ADD CONSTRAINT note_short CHECK (length(note) < 100) NOT VALID");
		FingerprintDifference difference = differenceAfter(database,
				"ALTER TABLE public.audit VALIDATE CONSTRAINT note_short");
		assertThat(difference.objects()).containsExactly(new ObjectDifference(Change.CHANGED, ObjectKind.CONSTRAINT,
				"note_short ON public.audit", "CHECK ((length(note) < 100)) NOT VALID", "CHECK ((length(note) < 100))"));
	}

	@Test
	void rowLevelSecurityAndPoliciesAreFound(TestDatabase database) throws SQLException {
		RichSchema.create(database);
		FingerprintDifference difference = differenceAfter(database, "ALTER TABLE public.audit ENABLE ROW LEVEL SECURITY",
				"ALTER TABLE public.audit FORCE ROW LEVEL SECURITY",
				"CREATE POLICY \"Notes only\" ON public.audit FOR SELECT TO " + database.username() + " USING (note IS NOT NULL)");
		assertThat(difference.objects()).containsExactly(
				new ObjectDifference(Change.CHANGED, ObjectKind.TABLE, "public.audit", "table",
						"table ROW LEVEL SECURITY FORCE ROW LEVEL SECURITY"),
				new ObjectDifference(Change.ADDED, ObjectKind.POLICY, "\"Notes only\" ON public.audit", null,
						"AS PERMISSIVE FOR SELECT TO " + database.username() + " USING ((note IS NOT NULL))"));
	}

	@Test
	void lessCommonKindsAreDescribed(TestDatabase database) throws SQLException {
		JdbcTemplate jdbc = database.jdbc();
		jdbc.execute("CREATE TYPE public.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi)");
		jdbc.execute("CREATE AGGREGATE public.total(numeric) (SFUNC = numeric_add, STYPE = numeric, INITCOND = '0')");
		jdbc.execute("CREATE PROCEDURE public.noop(n int) LANGUAGE sql AS 'SELECT 1'");
		jdbc.execute("CREATE UNLOGGED TABLE public.parent (id int, a int, b int) WITH (fillfactor = 70, autovacuum_enabled = off)");
		jdbc.execute("CREATE TABLE public.child (extra text) INHERITS (public.parent)");
		jdbc.execute("CREATE RULE no_delete AS ON DELETE TO public.parent DO INSTEAD NOTHING");
		jdbc.execute("CREATE STATISTICS public.parent_ab (dependencies) ON a, b FROM public.parent");
		SchemaFingerprint fingerprint = new FingerprintReader(database.dataSource()).read(List.of("public"), HISTORY);
		assertThat(definition(fingerprint, ObjectKind.RANGE_TYPE, "public.floatrange"))
			.isEqualTo("SUBTYPE = double precision, SUBTYPE_OPCLASS = pg_catalog.float8_ops, "
					+ "SUBTYPE_DIFF = float8mi(double precision,double precision)");
		assertThat(definition(fingerprint, ObjectKind.AGGREGATE, "public.total(numeric)"))
			.isEqualTo("SFUNC = numeric_add(numeric,numeric), STYPE = numeric, INITCOND = '0', KIND = n");
		assertThat(definition(fingerprint, ObjectKind.PROCEDURE, "public.noop(integer)"))
			.startsWith("CREATE OR REPLACE PROCEDURE public.noop(IN n integer)");
		assertThat(definition(fingerprint, ObjectKind.TABLE, "public.parent"))
			.isEqualTo("table UNLOGGED WITH (autovacuum_enabled=off, fillfactor=70)");
		assertThat(definition(fingerprint, ObjectKind.TABLE, "public.child")).isEqualTo("table INHERITS (public.parent)");
		assertThat(definition(fingerprint, ObjectKind.RULE, "no_delete ON public.parent"))
			.isEqualTo("CREATE RULE no_delete AS\n    ON DELETE TO public.parent DO INSTEAD NOTHING;");
		assertThat(definition(fingerprint, ObjectKind.STATISTICS, "public.parent_ab"))
			.isEqualTo("CREATE STATISTICS public.parent_ab (dependencies) ON a, b FROM public.parent");
		assertThat(definition(fingerprint, ObjectKind.PRIVILEGES, "PROCEDURE public.noop(integer)"))
			.isEqualTo("EXECUTE TO PUBLIC\nEXECUTE TO " + database.username());
	}

	@Test
	void columnOrderIsNoDifference(TestDatabase database, PostgresServer server) throws SQLException {
		database.jdbc().execute("CREATE TABLE public.items (id int PRIMARY KEY, name text NOT NULL, "
				+ "added date DEFAULT current_date)");
		try (TestDatabase other = TestDatabase.create(server)) {
			other.jdbc().execute("CREATE TABLE public.items (added date DEFAULT current_date, dropped int, "
					+ "name text NOT NULL, id int PRIMARY KEY)");
			other.jdbc().execute("ALTER TABLE public.items DROP COLUMN dropped");
			SchemaFingerprint first = new FingerprintReader(database.dataSource()).read(List.of("public"), HISTORY);
			SchemaFingerprint second = new FingerprintReader(other.dataSource()).read(List.of("public"), HISTORY);
			FingerprintDifference difference = FingerprintDifference.compare(first, second);
			assertThat(difference.isEmpty()).as(difference.describe()).isTrue();
			assertThat(second.toJson()).isEqualTo(first.toJson());
		}
	}

	@Test
	void mixedCaseAndOddNamesAreQuotedAsPostgresqlQuotesThem(TestDatabase database) throws SQLException {
		JdbcTemplate jdbc = database.jdbc();
		jdbc.execute("CREATE SCHEMA \"Odd \"\"Schema\"\"\"");
		jdbc.execute("CREATE TABLE \"Odd \"\"Schema\"\"\".\"Order\" (\"Line No\" int, plain int, \"select\" int)");
		SchemaFingerprint fingerprint = new FingerprintReader(database.dataSource()).read(List.of("Odd \"Schema\""),
				HISTORY);
		assertThat(fingerprint.objects(Severity.SCHEMA)).extracting(SchemaObject::toString)
			.containsExactly("schema \"Odd \"\"Schema\"\"\"", "table \"Odd \"\"Schema\"\"\".\"Order\"",
					"column \"Odd \"\"Schema\"\"\".\"Order\".\"Line No\"",
					"column \"Odd \"\"Schema\"\"\".\"Order\".\"select\"",
					"column \"Odd \"\"Schema\"\"\".\"Order\".plain");
		assertThat(fingerprint.schemas()).containsExactly("Odd \"Schema\"");
	}

	@Test
	void theHistoryTableAndExtensionObjectsAreLeftOut(TestDatabase database) throws SQLException {
		JdbcTemplate jdbc = database.jdbc();
		jdbc.execute("CREATE TABLE public.flyway_schema_history (installed_rank int PRIMARY KEY, version text)");
		jdbc.execute("CREATE INDEX flyway_schema_history_s_idx ON public.flyway_schema_history (version)");
		jdbc.execute("CREATE EXTENSION citext SCHEMA public");
		jdbc.execute("CREATE EXTENSION pg_trgm SCHEMA public");
		jdbc.execute("CREATE TABLE public.people (name public.citext NOT NULL)");
		jdbc.execute("CREATE INDEX people_name_trgm ON public.people USING gin ((name::text) public.gin_trgm_ops)");
		// no schemas given: the connection's current schema, where Flyway would put its table
		SchemaFingerprint fingerprint = new FingerprintReader(database.dataSource()).read(List.of(), HISTORY);
		assertThat(fingerprint.schemas()).containsExactly("public");
		assertThat(fingerprint.objects(Severity.SCHEMA)).extracting(SchemaObject::toString)
			.containsExactly("schema public", "table public.people", "column public.people.name",
					"index public.people_name_trgm");
		assertThat(definition(fingerprint, ObjectKind.COLUMN, "public.people.name")).isEqualTo("public.citext NOT NULL");
		assertThat(fingerprint.objects()).noneMatch((object) -> object.identity().contains("flyway_schema_history"));
	}

	@Test
	void aConnectionInATransactionIsRefusedAndAGivenOneIsLeftAsItWas(TestDatabase database) throws SQLException {
		try (Connection connection = database.dataSource().getConnection()) {
			connection.setAutoCommit(false);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> FingerprintReader.read(connection, List.of("public"), HISTORY))
				.withMessageContaining("auto-commit");
			connection.rollback();
			connection.setAutoCommit(true);
			FingerprintReader.read(connection, List.of("public"), HISTORY);
			assertThat(connection.getAutoCommit()).isTrue();
			try (var statement = connection.createStatement(); var result = statement.executeQuery("SHOW search_path")) {
				result.next();
				assertThat(result.getString(1)).as("the read's settings were local to its transaction")
					.isNotEqualTo("pg_catalog");
			}
		}
	}

	private static void revoke(TestDatabase database, LimitedRole role) {
		database.jdbc().execute("REVOKE ALL ON \"Sales\".\"Customer\" FROM " + role.name());
		database.jdbc().execute("REVOKE ALL (email) ON \"Sales\".\"Customer\" FROM " + role.name());
	}

	private static FingerprintDifference differenceAfter(TestDatabase database, String... changes)
			throws SQLException {
		SchemaFingerprint before = read(database);
		for (String change : changes) {
			database.jdbc().execute(change);
		}
		return FingerprintDifference.compare(before, read(database));
	}

	private static SchemaFingerprint read(TestDatabase database) throws SQLException {
		return new FingerprintReader(database.dataSource()).read(RICH_SCHEMAS, HISTORY);
	}

	private static String definition(SchemaFingerprint fingerprint, ObjectKind kind, String identity) {
		return fingerprint.find(kind, identity).orElseThrow(() -> new AssertionError("No " + kind + " " + identity))
			.definition();
	}

}
