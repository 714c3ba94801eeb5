package io.apiforge.migrations.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON strings written without a JSON library: valid, and canonical (one way to write
 * each character), so that equal text gives equal bytes.
 */
class JsonStringsTests {

	@Test
	void quotesAndBackslashesAreEscapedAndControlCharactersWrittenOneWayEach() {
		assertThat(JsonStrings.quote("say \"hi\" C:\\dir")).isEqualTo("\"say \\\"hi\\\" C:\\\\dir\"");
		assertThat(JsonStrings.quote("a\nb\tc\rd\u0000e\u001f")).isEqualTo("\"a\\nb\\tc\\u000dd\\u0000e\\u001f\"");
	}

	@Test
	void otherTextIsWrittenAsItIs() {
		assertThat(JsonStrings.quote("Grüße, 日本, ' / é")).isEqualTo("\"Grüße, 日本, ' / é\"");
		assertThat(JsonStrings.quote("")).isEqualTo("\"\"");
	}

}
