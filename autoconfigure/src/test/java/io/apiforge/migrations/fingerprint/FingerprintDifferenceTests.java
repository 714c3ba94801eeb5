package io.apiforge.migrations.fingerprint;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.apiforge.migrations.fingerprint.ObjectDifference.Change;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comparing two fingerprints: objects are matched by kind and identity, whatever their
 * order; each difference carries both definitions, and reads on one line.
 */
class FingerprintDifferenceTests {

	private static final SchemaObject TABLE = new SchemaObject(ObjectKind.TABLE, "public.items", "table");

	private static final SchemaObject NAME = new SchemaObject(ObjectKind.COLUMN, "public.items.name", "text NOT NULL");

	private static final SchemaObject GRANT = new SchemaObject(ObjectKind.PRIVILEGES, "TABLE public.items",
			"SELECT TO app");

	@Test
	void equalFingerprintsHaveNoDifference() {
		FingerprintDifference difference = FingerprintDifference.compare(fingerprint(TABLE, NAME, GRANT),
				fingerprint(GRANT, NAME, TABLE));
		assertThat(difference.isEmpty()).isTrue();
		assertThat(difference.describe()).isEqualTo("no differences");
	}

	@Test
	void addedRemovedAndChangedObjectsAreListedInTheFingerprintsOrder() {
		SchemaObject index = new SchemaObject(ObjectKind.INDEX, "public.items_name",
				"CREATE INDEX items_name ON public.items USING btree (name)");
		SchemaObject nullableName = new SchemaObject(ObjectKind.COLUMN, "public.items.name", "text");
		SchemaObject grantMore = new SchemaObject(ObjectKind.PRIVILEGES, "TABLE public.items",
				"SELECT TO app\nUPDATE TO app");
		FingerprintDifference difference = FingerprintDifference.compare(fingerprint(TABLE, NAME, GRANT),
				fingerprint(grantMore, index, nullableName));
		assertThat(difference.objects()).containsExactly(
				new ObjectDifference(Change.REMOVED, ObjectKind.TABLE, "public.items", "table", null),
				new ObjectDifference(Change.CHANGED, ObjectKind.COLUMN, "public.items.name", "text NOT NULL", "text"),
				new ObjectDifference(Change.ADDED, ObjectKind.INDEX, "public.items_name", null, index.definition()),
				new ObjectDifference(Change.CHANGED, ObjectKind.PRIVILEGES, "TABLE public.items", "SELECT TO app",
						"SELECT TO app\nUPDATE TO app"));
		assertThat(difference.added()).extracting(ObjectDifference::identity).containsExactly("public.items_name");
		assertThat(difference.removed()).extracting(ObjectDifference::identity).containsExactly("public.items");
		assertThat(difference.changed()).extracting(ObjectDifference::identity)
			.containsExactly("public.items.name", "TABLE public.items");
		assertThat(difference.only(Severity.PRIVILEGES).objects()).extracting(ObjectDifference::kind)
			.containsExactly(ObjectKind.PRIVILEGES);
		assertThat(difference.only(Severity.SCHEMA).objects()).hasSize(3);
		assertThat(difference.describe()).isEqualTo("""
				removed table public.items: "table"
				changed column public.items.name: stored "text NOT NULL", live "text"
				added index public.items_name: "CREATE INDEX items_name ON public.items USING btree (name)"
				changed privileges TABLE public.items: stored "SELECT TO app", live "SELECT TO app UPDATE TO app\"""");
	}

	@Test
	void aLongDefinitionIsDescribedAroundItsFirstDifference() {
		String body = "CREATE OR REPLACE FUNCTION public.f()\n RETURNS integer\n LANGUAGE sql\nAS $function$ SELECT "
				+ "1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11 + 12 + 13 + 14 + 15 + 16 + 17 + 18 + 19 + 20 $function$\n";
		SchemaObject stored = new SchemaObject(ObjectKind.FUNCTION, "public.f()", body);
		SchemaObject live = new SchemaObject(ObjectKind.FUNCTION, "public.f()", body.replace("+ 14 +", "- 14 +"));
		String line = FingerprintDifference.compare(fingerprint(stored), fingerprint(live)).describe();
		assertThat(line).doesNotContain("\n")
			.startsWith("changed function public.f(): stored \"…")
			.contains("13 + 14 + 15")
			.contains("13 - 14 + 15")
			.doesNotContain("RETURNS integer");
	}

	@Test
	void fingerprintsFromAnotherPostgresqlVersionAreSaidToBeSo() {
		SchemaFingerprint stored = new SchemaFingerprint(15, List.of("public"), List.of(NAME));
		SchemaFingerprint live = new SchemaFingerprint(17, List.of("public"), List.of(TABLE, NAME));
		assertThat(FingerprintDifference.compare(stored, live).describe()).startsWith(
				"stored on PostgreSQL 15, live on PostgreSQL 17: some definitions may differ only in how they are rendered\n"
						+ "added table public.items");
		assertThat(FingerprintDifference.compare(stored, stored).describe()).isEqualTo("no differences");
	}

	private static SchemaFingerprint fingerprint(SchemaObject... objects) {
		return new SchemaFingerprint(15, List.of("public"), List.of(objects));
	}

}
