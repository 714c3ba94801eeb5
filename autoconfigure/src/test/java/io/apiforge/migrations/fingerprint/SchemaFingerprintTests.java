package io.apiforge.migrations.fingerprint;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A fingerprint's own rules: its objects are ordered whatever order they come in, one
 * entry an object, and its JSON is canonical and read back strictly.
 */
class SchemaFingerprintTests {

	@Test
	void objectsAreOrderedByKindThenIdentityWhateverTheOrderGiven() {
		SchemaObject column = new SchemaObject(ObjectKind.COLUMN, "public.b.x", "int");
		SchemaObject tableB = new SchemaObject(ObjectKind.TABLE, "public.b", "table");
		SchemaObject tableA = new SchemaObject(ObjectKind.TABLE, "\"Public\".a", "table");
		SchemaObject schema = new SchemaObject(ObjectKind.SCHEMA, "public", "");
		SchemaFingerprint fingerprint = new SchemaFingerprint(15, List.of("public"),
				List.of(column, tableB, schema, tableA));
		assertThat(fingerprint.objects()).containsExactly(schema, tableA, tableB, column);
		assertThat(fingerprint).isEqualTo(new SchemaFingerprint(15, List.of("public"),
				List.of(tableA, schema, column, tableB)));
	}

	@Test
	void anObjectListedTwiceIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new SchemaFingerprint(15, List.of("public"),
					List.of(new SchemaObject(ObjectKind.TABLE, "public.a", "table"),
							new SchemaObject(ObjectKind.TABLE, "public.a", "partitioned table"))))
			.withMessageContaining("two objects called table public.a");
	}

	@Test
	void theJsonEscapesWhatJsonMustAndReadsBack() {
		SchemaFingerprint fingerprint = new SchemaFingerprint(16, List.of("Odd \"Schema\""),
				List.of(new SchemaObject(ObjectKind.FUNCTION, "\"Odd \"\"Schema\"\"\".f()",
						"CREATE FUNCTION …\n\tSELECT 'a\\b' || chr(1) || 'Zoë 日本 🎉'\r\n")));
		String json = fingerprint.toJson();
		assertThat(json).isEqualTo("""
				{
				  "format": 1,
				  "postgresql": 16,
				  "schemas": ["Odd \\"Schema\\""],
				  "objects": [
				    {"kind": "function", "identity": "\\"Odd \\"\\"Schema\\"\\"\\".f()", \
				"definition": "CREATE FUNCTION …\\n\\tSELECT 'a\\\\b' || chr(1) || 'Zoë 日本 🎉'\\u000d\\n"}
				  ]
				}
				""");
		assertThat(SchemaFingerprint.fromJson(json)).isEqualTo(fingerprint);
		assertThat(SchemaFingerprint.fromJson(json.replace("\n", "").replace(": ", ":"))).isEqualTo(fingerprint);
	}

	@Test
	void anEmptyFingerprintWritesAndReadsBack() {
		SchemaFingerprint empty = new SchemaFingerprint(15, List.of(), List.of());
		assertThat(empty.toJson()).contains("\"schemas\": [],\n  \"objects\": []\n}");
		assertThat(SchemaFingerprint.fromJson(empty.toJson())).isEqualTo(empty);
	}

	@Test
	void malformedOrForeignJsonIsRefusedSayingWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> SchemaFingerprint.fromJson("{\"format\": 1,"))
			.withMessageContaining("malformed: expected a field name at character 13");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchemaFingerprint.fromJson("{\"format\": 2, \"postgresql\": 15}"))
			.withMessageContaining("\"format\": 1, this has 2");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SchemaFingerprint.fromJson("{\"format\": 1, \"postgresql\": 15, \"schemas\": [], "
					+ "\"objects\": [{\"kind\": \"hologram\", \"identity\": \"x\", \"definition\": \"\"}]}"))
			.withMessageContaining("No object kind is called 'hologram'");
		assertThatIllegalArgumentException().isThrownBy(() -> SchemaFingerprint.fromJson("{\"format\": 1} trailing"))
			.withMessageContaining("expected nothing after the document");
	}

	@Test
	void theDigestFollowsTheObjectsOnly() {
		List<SchemaObject> objects = List.of(new SchemaObject(ObjectKind.TABLE, "public.a", "table"));
		SchemaFingerprint on15 = new SchemaFingerprint(15, List.of("public"), objects);
		SchemaFingerprint on17 = new SchemaFingerprint(17, List.of(), objects);
		SchemaFingerprint other = new SchemaFingerprint(15, List.of("public"),
				List.of(new SchemaObject(ObjectKind.TABLE, "public.a", "partitioned table PARTITION BY RANGE (at)")));
		assertThat(on15.digest()).hasSize(64).isEqualTo(on17.digest()).isNotEqualTo(other.digest());
	}

}
