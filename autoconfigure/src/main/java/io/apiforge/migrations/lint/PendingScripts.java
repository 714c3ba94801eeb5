package io.apiforge.migrations.lint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.api.configuration.Configuration;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

import io.apiforge.migrations.scripts.MigrationScripts;
import io.apiforge.migrations.scripts.Placeholders;

/**
 * Reads pending SQL migrations for the lint one at a time, as it asks for them, and never
 * more of one than a bound: a script larger than it is a
 * {@link LintRule#SCRIPT_TOO_LARGE script-too-large} finding, and only its opening
 * comments are read (for a suppression), so that a large data migration cannot exhaust
 * the heap before Flyway streams it.
 *
 * @author apiforge
 */
final class PendingScripts implements MigrationLinter.ScriptSource {

	private static final Log logger = LogFactory.getLog(PendingScripts.class);

	/** How much of a script too large to lint is read for its opening comments. */
	private static final int HEAD_BYTES = 8 * 1024;

	private final Configuration configuration;

	private final MigrationScripts reader;

	private final Placeholders placeholders;

	private final DataSize maxSize;

	PendingScripts(Configuration configuration, DataSize maxSize) {
		this.configuration = configuration;
		this.reader = MigrationScripts.indexed(configuration.getLocations(), configuration.getClassLoader());
		this.placeholders = Placeholders.of(configuration);
		this.maxSize = maxSize;
	}

	@Override
	public MigrationLinter.Loaded load(String script) {
		try {
			Resource resource = this.reader.resource(script);
			if (resource == null) {
				return MigrationLinter.Loaded.unread(script, "The lint could not find " + script + " in "
						+ Arrays.toString(this.configuration.getLocations())
						+ " (it reads classpath: and filesystem: locations), so it did not check it.");
			}
			byte[] content = readAtMost(resource, this.maxSize.toBytes());
			if (content == null) {
				return new MigrationLinter.Loaded(null, tooLarge(script, resource));
			}
			String sql = new String(content, StandardCharsets.UTF_8);
			return new MigrationLinter.Loaded(new MigrationScript(script, this.placeholders.replaceKnown(sql, script),
					this.reader.executeInTransaction(script)), null);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("The lint could not read " + script, ex);
			return MigrationLinter.Loaded.unread(script, "The lint could not read " + script + " ("
					+ ScriptLinter.describe(ex) + "), so it did not check it.");
		}
	}

	/**
	 * Read a resource if it holds no more than a bound: its length first, when the
	 * resource knows it, then at most one byte more than the bound, in case it does not.
	 * @return its content, or {@code null} when it is larger
	 */
	private static byte @Nullable [] readAtMost(Resource resource, long maxBytes) throws IOException {
		long length = contentLength(resource);
		if (length > maxBytes) {
			return null;
		}
		try (InputStream input = resource.getInputStream()) {
			byte[] content = input.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
			return (content.length > maxBytes) ? null : content;
		}
	}

	private static long contentLength(Resource resource) {
		try {
			return resource.contentLength();
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * A finding for a script too large to lint, suppressed when a comment among those that
	 * open the script allows it.
	 */
	private LintFinding tooLarge(String script, Resource resource) throws IOException {
		LintRule rule = LintRule.SCRIPT_TOO_LARGE;
		long length = contentLength(resource);
		String message = script + " is larger than " + this.maxSize + ((length > 0) ? " (" + length + " bytes)" : "")
				+ ", the most the lint reads (migrations.lint.max-script-size), so the lint did not check it.";
		Suppression suppression = openingSuppression(resource);
		return new LintFinding(rule.id(), rule.severity(), script, 1, message, rule.recipe(), "",
				(suppression != null && suppression.isValid()) ? suppression.reason() : null);
	}

	/**
	 * Find a {@code -- migrations:allow script-too-large} among the blank and comment
	 * lines that open a script, reading no more than its first few kilobytes.
	 */
	private static @Nullable Suppression openingSuppression(Resource resource) throws IOException {
		String head;
		try (InputStream input = resource.getInputStream()) {
			head = new String(input.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8);
		}
		String[] lines = head.split("\\R", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (i == 0 && line.startsWith("\uFEFF")) {
				line = line.substring(1).strip();
			}
			if (!line.isEmpty() && !line.startsWith("--")) {
				return null;
			}
			Suppression suppression = line.startsWith("--") ? Suppression.parse(line.substring(2), i + 1) : null;
			if (suppression != null && LintRule.SCRIPT_TOO_LARGE.id().equals(suppression.rule())) {
				return suppression;
			}
		}
		return null;
	}

}
