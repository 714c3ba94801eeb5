package io.apiforge.migrations.backup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sidecar's fields read back as they were written, whatever characters their text
 * holds.
 */
class SidecarJsonTests {

	@Test
	void textWithQuotesBackslashesAndControlCharactersReadsBackAsWritten() {
		String odd = "it's \"odd\"\\ \r\n\ttext \u0001 ü";
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("file", odd);
		fields.put("sizeBytes", 42L);
		fields.put("schemas", List.of("a\"b", "c"));
		fields.put("verified", true);
		String json = SidecarJson.object(fields, "  ");
		assertThat(json).doesNotContain("\r").doesNotContain("\t");
		assertThat(SidecarJson.text(json, "file")).isEqualTo(odd);
		assertThat(SidecarJson.raw(json, "sizeBytes")).isEqualTo("42");
		assertThat(SidecarJson.raw(json, "verified")).isEqualTo("true");
		assertThat(json).contains("\"schemas\": [\"a\\\"b\", \"c\"]");
	}

}
