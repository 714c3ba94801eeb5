package io.apiforge.migrations.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Objects;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One packed copy of the migration summaries of a {@link SchemaSnapshot}, read through
 * lists that each see some of them. A snapshot is kept for the application's life, and
 * one of 10,000 migrations kept as records holds ten boxed or text fields per migration,
 * about 300 bytes each; packed, the fields are columns of arrays and the texts one UTF-8
 * byte array (only the script's name, when the version and the description are what
 * Flyway derives from it), about a quarter of that. A summary is built again each time it
 * is read.
 * <p>
 * Snapshots of fewer than {@link #THRESHOLD} migrations keep their lists as they are:
 * packing them would save little.
 *
 * @author apiforge
 */
final class PackedMigrationSummaries {

	/** How many distinct migrations a snapshot holds before its lists are packed. */
	static final int THRESHOLD = 64;

	private static final int TEXTS = 3;

	private static final int WORDS = 3;

	private static final char NO_WORD = Character.MAX_VALUE;

	private static final long NONE = Long.MIN_VALUE;

	private final int[] ranks;

	private final BitSet rankAbsent;

	private final int[] checksums;

	private final BitSet checksumAbsent;

	private final long[] installedOnSeconds;

	private final int[] installedOnNanos;

	private final long[] executionNanos;

	/** Version, description and script of each migration, in UTF-8, one after another. */
	private final byte[] text;

	/** Where each text ends in {@link #text}: three per migration. */
	private final int[] textEnds;

	private final BitSet versionAbsent;

	/**
	 * The migrations whose version and description are what Flyway derives from their
	 * script's name ({@code V1_1__add_price.sql}: {@code 1.1}, {@code add price}): only
	 * the script is kept.
	 */
	private final BitSet derived;

	/** Type, state and who applied it: a few distinct values, each kept once. */
	private final String[] words;

	private final char[] wordIndexes;

	private PackedMigrationSummaries(List<MigrationSummary> summaries, String[] words, Map<String, Character> wordIndex) {
		int size = summaries.size();
		this.ranks = new int[size];
		this.rankAbsent = new BitSet(size);
		this.checksums = new int[size];
		this.checksumAbsent = new BitSet(size);
		this.installedOnSeconds = new long[size];
		this.installedOnNanos = new int[size];
		this.executionNanos = new long[size];
		this.textEnds = new int[size * TEXTS];
		this.versionAbsent = new BitSet(size);
		this.derived = new BitSet(size);
		this.words = words;
		this.wordIndexes = new char[size * WORDS];
		List<byte[]> texts = new ArrayList<>(size * TEXTS);
		int length = 0;
		for (int i = 0; i < size; i++) {
			MigrationSummary summary = summaries.get(i);
			if (summary.installedRank() != null) {
				this.ranks[i] = summary.installedRank();
			}
			else {
				this.rankAbsent.set(i);
			}
			if (summary.checksum() != null) {
				this.checksums[i] = summary.checksum();
			}
			else {
				this.checksumAbsent.set(i);
			}
			Instant installedOn = summary.installedOn();
			this.installedOnSeconds[i] = (installedOn != null) ? installedOn.getEpochSecond() : NONE;
			this.installedOnNanos[i] = (installedOn != null) ? installedOn.getNano() : 0;
			Duration executionTime = summary.executionTime();
			this.executionNanos[i] = (executionTime != null) ? executionTime.toNanos() : NONE;
			if (summary.version() == null) {
				this.versionAbsent.set(i);
			}
			boolean fromScript = isDerived(summary);
			if (fromScript) {
				this.derived.set(i);
			}
			String[] values = fromScript ? new String[] { "", "", summary.script() }
					: new String[] { (summary.version() != null) ? summary.version() : "", summary.description(),
							summary.script() };
			for (int j = 0; j < TEXTS; j++) {
				byte[] bytes = values[j].getBytes(StandardCharsets.UTF_8);
				texts.add(bytes);
				length += bytes.length;
				this.textEnds[i * TEXTS + j] = length;
			}
			this.wordIndexes[i * WORDS] = wordIndex.get(summary.type());
			this.wordIndexes[i * WORDS + 1] = wordIndex.get(summary.state());
			this.wordIndexes[i * WORDS + 2] = (summary.installedBy() != null) ? wordIndex.get(summary.installedBy())
					: NO_WORD;
		}
		this.text = new byte[length];
		int offset = 0;
		for (byte[] bytes : texts) {
			System.arraycopy(bytes, 0, this.text, offset, bytes.length);
			offset += bytes.length;
		}
	}

	/**
	 * Pack lists whose summaries may be shared (the same object in several lists, as a
	 * migration both applied and shipped is): each distinct summary is packed once.
	 * @param lists the lists
	 * @return lists equal to the given ones, in the same order: views of one packed copy,
	 * or the given lists themselves when they hold fewer than {@link #THRESHOLD}
	 * distinct summaries, too many distinct words to pack, or a summary without a text
	 * it should have
	 */
	static List<List<MigrationSummary>> pack(List<List<MigrationSummary>> lists) {
		Map<MigrationSummary, Integer> indexes = new IdentityHashMap<>();
		List<MigrationSummary> distinct = new ArrayList<>();
		for (List<MigrationSummary> list : lists) {
			for (MigrationSummary summary : list) {
				if (!indexes.containsKey(summary)) {
					indexes.put(summary, distinct.size());
					distinct.add(summary);
				}
			}
		}
		if (distinct.size() < THRESHOLD || distinct.stream().anyMatch(PackedMigrationSummaries::lacksText)) {
			return lists;
		}
		Map<String, Character> wordIndex = new HashMap<>();
		List<String> words = new ArrayList<>();
		for (MigrationSummary summary : distinct) {
			for (String word : new String[] { summary.type(), summary.state(), summary.installedBy() }) {
				if (word != null && !wordIndex.containsKey(word)) {
					if (words.size() == NO_WORD) {
						return lists;
					}
					wordIndex.put(word, (char) words.size());
					words.add(word);
				}
			}
		}
		PackedMigrationSummaries packed = new PackedMigrationSummaries(distinct, words.toArray(String[]::new),
				wordIndex);
		List<List<MigrationSummary>> views = new ArrayList<>(lists.size());
		List<int[]> kept = new ArrayList<>();
		for (List<MigrationSummary> list : lists) {
			int[] positions = new int[list.size()];
			for (int i = 0; i < positions.length; i++) {
				positions[i] = indexes.get(list.get(i));
			}
			// The applied and the shipped migrations are often the same ones.
			int[] same = kept.stream().filter((other) -> Arrays.equals(other, positions)).findFirst().orElse(null);
			if (same == null) {
				kept.add(positions);
			}
			views.add(new View(packed, (same != null) ? same : positions));
		}
		return views;
	}

	/**
	 * Whether a summary lacks a text a record should always have: kept as it is rather
	 * than read back as another.
	 */
	@SuppressWarnings("ConstantValue")
	private static boolean lacksText(MigrationSummary summary) {
		return summary.description() == null || summary.script() == null || summary.type() == null
				|| summary.state() == null;
	}

	/**
	 * Keep the summaries of a list that a condition accepts, without unpacking the list.
	 * @param list the list
	 * @param keep the condition
	 * @return the list itself when it keeps them all; otherwise a view of the same packed
	 * copy, or a new list when the given one is not packed
	 */
	static List<MigrationSummary> retain(List<MigrationSummary> list, Predicate<MigrationSummary> keep) {
		int size = list.size();
		int[] kept = new int[size];
		int count = 0;
		for (int i = 0; i < size; i++) {
			if (keep.test(list.get(i))) {
				kept[count++] = i;
			}
		}
		if (count == size) {
			return list;
		}
		if (list instanceof View view) {
			int[] positions = new int[count];
			for (int i = 0; i < count; i++) {
				positions[i] = view.positions[kept[i]];
			}
			return new View(view.packed, positions);
		}
		List<MigrationSummary> retained = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			retained.add(list.get(kept[i]));
		}
		return List.copyOf(retained);
	}

	private static boolean isDerived(MigrationSummary summary) {
		Derived derived = Derived.fromScript(summary.script());
		return derived != null && Objects.equals(derived.version(), summary.version())
				&& derived.description().equals(summary.description());
	}

	private MigrationSummary summary(int i) {
		long seconds = this.installedOnSeconds[i];
		long execution = this.executionNanos[i];
		char installedBy = this.wordIndexes[i * WORDS + 2];
		String script = text(i, 2);
		Derived derived = this.derived.get(i) ? Derived.fromScript(script) : null;
		String version = (derived != null) ? derived.version() : this.versionAbsent.get(i) ? null : text(i, 0);
		String description = (derived != null) ? derived.description() : text(i, 1);
		return new MigrationSummary(this.rankAbsent.get(i) ? null : this.ranks[i], version, description, script,
				this.words[this.wordIndexes[i * WORDS]], this.words[this.wordIndexes[i * WORDS + 1]],
				this.checksumAbsent.get(i) ? null : this.checksums[i],
				(seconds != NONE) ? Instant.ofEpochSecond(seconds, this.installedOnNanos[i]) : null,
				(installedBy != NO_WORD) ? this.words[installedBy] : null,
				(execution != NONE) ? Duration.ofNanos(execution) : null);
	}

	private String text(int i, int which) {
		int index = i * TEXTS + which;
		int start = (index > 0) ? this.textEnds[index - 1] : 0;
		return new String(this.text, start, this.textEnds[index] - start, StandardCharsets.UTF_8);
	}

	/**
	 * Some of the packed summaries, in an order of their own; read-only.
	 */
	private static final class View extends AbstractList<MigrationSummary> implements RandomAccess {

		private final PackedMigrationSummaries packed;

		private final int[] positions;

		View(PackedMigrationSummaries packed, int[] positions) {
			this.packed = packed;
			this.positions = positions;
		}

		@Override
		public MigrationSummary get(int index) {
			return this.packed.summary(this.positions[index]);
		}

		@Override
		public int size() {
			return this.positions.length;
		}

	}

	/**
	 * The version and description Flyway derives from a script's name.
	 *
	 * @param version the version, or {@code null} for a repeatable migration
	 * @param description the description
	 */
	private record Derived(@Nullable String version, String description) {

		/**
		 * Derive them as Flyway does: the version between the prefix's letters and
		 * {@code __}, with {@code _} for {@code .}; the description between {@code __} and
		 * the suffix, with {@code _} for a space.
		 * @param script the script's name, such as {@code V1_1__add_price.sql}
		 * @return what its name says, or {@code null} when it is not of that form (a Java
		 * migration's class name)
		 */
		static @Nullable Derived fromScript(String script) {
			int separator = script.indexOf("__");
			int suffix = script.lastIndexOf('.');
			if (separator < 1 || suffix < separator + 2) {
				return null;
			}
			int digit = 0;
			while (digit < separator && !Character.isDigit(script.charAt(digit))) {
				digit++;
			}
			String version = (digit < separator) ? script.substring(digit, separator).replace('_', '.') : null;
			return new Derived(version, script.substring(separator + 2, suffix).replace('_', ' '));
		}

	}

}
