package io.apiforge.migrations.fingerprint;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One object that differs between a stored and a live {@link SchemaFingerprint}, with
 * both definitions side by side.
 *
 * @param change whether the object was added, removed or changed
 * @param kind what kind of object it is
 * @param identity which one it is
 * @param stored its definition in the stored fingerprint, {@code null} when it was added
 * @param live its definition in the live fingerprint, {@code null} when it was removed
 * @author apiforge
 */
public record ObjectDifference(Change change, ObjectKind kind, String identity, @Nullable String stored,
		@Nullable String live) {

	/**
	 * How much of a long definition {@link #describe()} shows on each side of the first
	 * difference.
	 */
	private static final int CONTEXT = 40;

	/**
	 * How long a definition {@link #describe()} shows whole.
	 */
	private static final int SHORT = 120;

	/**
	 * Return how much this difference matters.
	 * @return the severity of the object's kind
	 */
	public Severity severity() {
		return this.kind.severity();
	}

	/**
	 * Describe the difference on one line: white space in the definitions folded, and
	 * long definitions cut to the part around their first difference.
	 * @return such as {@code changed column public.audit.at: stored "timestamp with time
	 * zone DEFAULT now()", live "timestamp with time zone"}
	 */
	public String describe() {
		String object = this.change.label() + " " + this.kind.label() + " " + this.identity;
		return switch (this.change) {
			case ADDED -> object + ": " + quote(abbreviate(fold(this.live), 0));
			case REMOVED -> object + ": " + quote(abbreviate(fold(this.stored), 0));
			case CHANGED -> {
				String stored = fold(this.stored);
				String live = fold(this.live);
				int from = firstDifference(stored, live);
				yield object + ": stored " + quote(abbreviate(stored, from)) + ", live " + quote(abbreviate(live, from));
			}
		};
	}

	private static String fold(@Nullable String definition) {
		return (definition != null) ? definition.strip().replaceAll("\\s+", " ") : "";
	}

	private static int firstDifference(String stored, String live) {
		int length = Math.min(stored.length(), live.length());
		for (int i = 0; i < length; i++) {
			if (stored.charAt(i) != live.charAt(i)) {
				return i;
			}
		}
		return length;
	}

	private static String abbreviate(String definition, int from) {
		if (definition.length() <= SHORT) {
			return definition;
		}
		int start = Math.max(0, Math.min(from, definition.length()) - CONTEXT);
		int end = Math.min(definition.length(), start + 2 * CONTEXT + CONTEXT / 2);
		return ((start > 0) ? "…" : "") + definition.substring(start, end) + ((end < definition.length()) ? "…" : "");
	}

	private static String quote(String definition) {
		return "\"" + definition + "\"";
	}

	@Override
	public String toString() {
		return describe();
	}

	/**
	 * How an object differs.
	 */
	public enum Change {

		/**
		 * The live schema has it, the stored one has not.
		 */
		ADDED,

		/**
		 * The stored schema has it, the live one has not.
		 */
		REMOVED,

		/**
		 * Both have it, defined differently.
		 */
		CHANGED;

		String label() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
