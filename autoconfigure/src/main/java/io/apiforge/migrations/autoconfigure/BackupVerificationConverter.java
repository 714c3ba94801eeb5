package io.apiforge.migrations.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.convert.converter.GenericConverter;

import io.apiforge.migrations.backup.pgdump.BackupVerification;

/**
 * Binds {@code migrations.backup.verify}: {@code none}, {@code list} or {@code restore},
 * and the boolean it was before, {@code true} meaning {@code list} and {@code false}
 * meaning {@code none}, whether written as text (a properties file, an environment
 * variable) or as a YAML boolean. Registered for binding only
 * ({@code @ConfigurationPropertiesBinding}). Any other value fails the binding, and
 * Spring Boot's failure analysis lists the allowed ones.
 *
 * @author apiforge
 */
final class BackupVerificationConverter implements GenericConverter {

	@Override
	public Set<ConvertiblePair> getConvertibleTypes() {
		return Set.of(new ConvertiblePair(String.class, BackupVerification.class),
				new ConvertiblePair(Boolean.class, BackupVerification.class));
	}

	@Override
	public @Nullable Object convert(@Nullable Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {
		if (source == null) {
			return null;
		}
		String value = source.toString().strip().toLowerCase(Locale.ROOT);
		return switch (value) {
			case "true" -> BackupVerification.LIST;
			case "false" -> BackupVerification.NONE;
			default -> BackupVerification.valueOf(value.toUpperCase(Locale.ROOT));
		};
	}

}
