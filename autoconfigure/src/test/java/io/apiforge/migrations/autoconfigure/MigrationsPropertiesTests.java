package io.apiforge.migrations.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

import io.apiforge.migrations.backup.pgdump.PgDumpSettings;
import io.apiforge.migrations.lifecycle.MigrationMode;
import io.apiforge.migrations.lint.LintFailOn;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the documented properties honest: the defaults in the code, the generated
 * metadata IDEs read, and the table users read in {@code docs/configuration.md} agree.
 */
class MigrationsPropertiesTests {

	private static final Pattern DOCUMENTED_PROPERTY = Pattern
		.compile("^\\| `((?:management\\.endpoint\\.)?migrations\\.[a-z.-]+)` \\| `([^`]*)` \\|");

	@Test
	void defaultValuesAreConsistent() {
		MigrationsProperties properties = new MigrationsProperties();
		assertThat(properties.isEnabled()).isTrue();
		assertThat(properties.getMode()).isEqualTo(MigrationMode.MIGRATE);
		assertThat(properties.getLock().getTimeout()).isEqualTo(Duration.ofMinutes(5));
		assertThat(properties.getLock().getRetryInterval()).isEqualTo(Duration.ofMillis(500));
		assertThat(properties.getValidate().isFailOnPending()).isFalse();
		assertThat(properties.getLint().isEnabled()).isTrue();
		assertThat(properties.getLint().getFailOn()).isEqualTo(LintFailOn.NONE);
		assertThat(properties.getBackup().getRetention().getKeepLast()).isEqualTo(10);
		assertThat(properties.getBackup().getRetention().getKeepLastOnRequest())
			.isEqualTo(PgDumpSettings.DEFAULT_KEEP_LAST_ON_REQUEST)
			.isEqualTo(5);
	}

	@Test
	void theDocumentedTableListsEveryPropertyWithTheDefaultIdesShow() throws IOException {
		assertThat(documentedDefaults()).isEqualTo(metadataDefaults());
	}

	private static Map<String, String> metadataDefaults() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		try (InputStream metadata = MigrationsPropertiesTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			for (ConfigurationMetadataProperty property : ConfigurationMetadataRepositoryJsonBuilder.create(metadata)
				.build()
				.getAllProperties()
				.values()) {
				Object value = property.getDefaultValue();
				defaults.put(property.getId(), (value != null) ? value.toString().toLowerCase(Locale.ROOT) : "");
			}
		}
		return sorted(defaults);
	}

	private static Map<String, String> documentedDefaults() throws IOException {
		Map<String, String> defaults = new LinkedHashMap<>();
		for (String line : Files.readAllLines(Path.of("../docs/configuration.md"))) {
			Matcher matcher = DOCUMENTED_PROPERTY.matcher(line);
			if (matcher.find()) {
				defaults.put(matcher.group(1), matcher.group(2).toLowerCase(Locale.ROOT));
			}
		}
		return sorted(defaults);
	}

	private static Map<String, String> sorted(Map<String, String> map) {
		return new java.util.TreeMap<>(map);
	}

}
