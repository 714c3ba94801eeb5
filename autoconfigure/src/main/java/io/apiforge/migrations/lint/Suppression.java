package io.apiforge.migrations.lint;

import org.jspecify.annotations.Nullable;

/**
 * A {@code -- migrations:allow <rule-id> <reason>} comment found before a statement.
 *
 * @param line the comment's line
 * @param rule the rule id it names, or {@code null} when it names none
 * @param reason the reason it gives, or {@code null} when it gives none
 * @author apiforge
 */
record Suppression(int line, @Nullable String rule, @Nullable String reason) {

	static final String MARKER = "migrations:allow";

	/**
	 * Read a line comment.
	 * @param comment the comment's text after {@code --}
	 * @param line its line
	 * @return the suppression, or {@code null} when the comment is not one
	 */
	static @Nullable Suppression parse(String comment, int line) {
		String text = comment.strip();
		if (!text.startsWith(MARKER)) {
			return null;
		}
		String rest = text.substring(MARKER.length());
		if (!rest.isEmpty() && !Character.isWhitespace(rest.charAt(0))) {
			return null;
		}
		rest = rest.strip();
		if (rest.isEmpty()) {
			return new Suppression(line, null, null);
		}
		String[] parts = rest.split("\\s+", 2);
		String reason = (parts.length > 1) ? parts[1].strip() : null;
		return new Suppression(line, parts[0], (reason != null && !reason.isEmpty()) ? reason : null);
	}

	/**
	 * Return whether this suppression names a known rule and gives a reason.
	 * @return whether it is valid
	 */
	boolean isValid() {
		return this.rule != null && this.reason != null && LintRule.ofId(this.rule).isPresent();
	}

}
