package io.apiforge.migrations.status;

import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Predicate;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.jspecify.annotations.Nullable;

/**
 * One compressed copy of the migration summaries of a {@link SchemaSnapshot}, read
 * through lists that each see some of them. A snapshot is kept for the application's
 * life, and one of 10,000 migrations kept as records holds ten boxed or text fields per
 * migration, about 300 bytes each. Here each migration is a few bytes of a stream (its
 * numbers as the difference from the migration before, its script's name alone when the
 * version and the description are what Flyway derives from it), and the stream is
 * deflated: migrations' names and numbers repeat, and about 16 bytes a migration are
 * kept (10,000 migrations of the start-up benchmark: 158 KB; 75 bytes each as columns of
 * arrays, 300 as records).
 * <p>
 * Reading inflates the whole copy into records, which are kept until the next garbage
 * collection only (a weak reference): a reader that walks a list, such as the endpoint or
 * a refresh of the status, inflates it once, and the steady state holds the compressed
 * bytes alone.
 * <p>
 * Snapshots of fewer than {@link #THRESHOLD} migrations keep their lists as they are:
 * packing them would save little.
 *
 * @author apiforge
 */
final class PackedMigrationSummaries {

	/** How many distinct migrations a snapshot holds before its lists are packed. */
	static final int THRESHOLD = 64;

	private static final int HAS_RANK = 1;

	private static final int HAS_CHECKSUM = 1 << 1;

	private static final int HAS_INSTALLED_ON = 1 << 2;

	private static final int HAS_EXECUTION_TIME = 1 << 3;

	private static final int HAS_VERSION = 1 << 4;

	private static final int DERIVED = 1 << 5;

	private static final int HAS_INSTALLED_BY = 1 << 6;

	private final int count;

	private final int encodedLength;

	private final byte[] deflated;

	/** Type, state and who applied it: a few distinct values, each kept once. */
	private final String[] words;

	private volatile WeakReference<MigrationSummary[]> inflated = new WeakReference<>(null);

	private PackedMigrationSummaries(List<MigrationSummary> summaries, String[] words, Map<String, Integer> wordIndex) {
		this.count = summaries.size();
		this.words = words;
		Encoder out = new Encoder(summaries.size() * 48);
		int rank = 0;
		long seconds = 0;
		for (MigrationSummary summary : summaries) {
			boolean fromScript = isDerived(summary);
			int flags = ((summary.installedRank() != null) ? HAS_RANK : 0)
					| ((summary.checksum() != null) ? HAS_CHECKSUM : 0)
					| ((summary.installedOn() != null) ? HAS_INSTALLED_ON : 0)
					| ((summary.executionTime() != null) ? HAS_EXECUTION_TIME : 0)
					| ((summary.version() != null) ? HAS_VERSION : 0) | (fromScript ? DERIVED : 0)
					| ((summary.installedBy() != null) ? HAS_INSTALLED_BY : 0);
			out.writeUnsigned(flags);
			if (summary.installedRank() != null) {
				// Ranks mostly follow one another: a difference of one is one byte.
				out.writeSigned(summary.installedRank() - rank);
				rank = summary.installedRank();
			}
			if (summary.checksum() != null) {
				out.writeInt(summary.checksum());
			}
			Instant installedOn = summary.installedOn();
			if (installedOn != null) {
				out.writeSigned(installedOn.getEpochSecond() - seconds);
				seconds = installedOn.getEpochSecond();
				// PostgreSQL keeps microseconds.
				int nanos = installedOn.getNano();
				out.writeUnsigned((nanos % 1000 == 0) ? (nanos / 1000L) << 1 : ((long) nanos << 1) | 1);
			}
			Duration executionTime = summary.executionTime();
			if (executionTime != null) {
				// Flyway measures milliseconds.
				long nanos = executionTime.toNanos();
				out.writeSigned((nanos % 1_000_000 == 0) ? (nanos / 1_000_000) << 1 : (nanos << 1) | 1);
			}
			out.writeUnsigned(wordIndex.get(summary.type()));
			out.writeUnsigned(wordIndex.get(summary.state()));
			if (summary.installedBy() != null) {
				out.writeUnsigned(wordIndex.get(summary.installedBy()));
			}
			if (!fromScript) {
				if (summary.version() != null) {
					out.writeText(summary.version());
				}
				out.writeText(summary.description());
			}
			out.writeText(summary.script());
		}
		this.encodedLength = out.length();
		this.deflated = deflate(out.bytes(), out.length());
	}

	/**
	 * Pack summaries, each once, and return lists of them.
	 * @param distinct the summaries, each once
	 * @param positions for each list, where its summaries are among the given ones
	 * @return the lists: views of one packed copy, or lists of the given summaries when
	 * there are fewer than {@link #THRESHOLD}, or a summary lacks a text it should have
	 */
	static List<List<MigrationSummary>> pack(List<MigrationSummary> distinct, List<int[]> positions) {
		if (isWorthPacking(distinct)) {
			return views(distinct, positions);
		}
		List<List<MigrationSummary>> lists = new ArrayList<>(positions.size());
		for (int[] listPositions : positions) {
			MigrationSummary[] list = new MigrationSummary[listPositions.length];
			for (int i = 0; i < list.length; i++) {
				list[i] = distinct.get(listPositions[i]);
			}
			lists.add(List.of(list));
		}
		return lists;
	}

	private static boolean isWorthPacking(List<MigrationSummary> distinct) {
		return distinct.size() >= THRESHOLD && distinct.stream().noneMatch(PackedMigrationSummaries::lacksText);
	}

	private static List<List<MigrationSummary>> views(List<MigrationSummary> distinct, List<int[]> positions) {
		Map<String, Integer> wordIndex = new HashMap<>();
		List<String> words = new ArrayList<>();
		for (MigrationSummary summary : distinct) {
			addWord(summary.type(), wordIndex, words);
			addWord(summary.state(), wordIndex, words);
			addWord(summary.installedBy(), wordIndex, words);
		}
		PackedMigrationSummaries packed = new PackedMigrationSummaries(distinct, words.toArray(String[]::new),
				wordIndex);
		List<List<MigrationSummary>> views = new ArrayList<>(positions.size());
		List<int[]> kept = new ArrayList<>();
		for (int[] listPositions : positions) {
			boolean inOrder = true;
			for (int i = 0; i < listPositions.length && inOrder; i++) {
				inOrder = listPositions[i] == i;
			}
			if (inOrder) {
				views.add(new View(packed, null, listPositions.length));
				continue;
			}
			// The applied and the shipped migrations are often the same ones.
			int[] same = kept.stream().filter((other) -> Arrays.equals(other, listPositions)).findFirst().orElse(null);
			if (same == null) {
				kept.add(listPositions);
			}
			views.add(new View(packed, (same != null) ? same : listPositions, listPositions.length));
		}
		return views;
	}

	private static void addWord(@Nullable String word, Map<String, Integer> wordIndex, List<String> words) {
		if (word != null && !wordIndex.containsKey(word)) {
			wordIndex.put(word, words.size());
			words.add(word);
		}
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
				positions[i] = view.position(kept[i]);
			}
			return new View(view.packed, positions, count);
		}
		List<MigrationSummary> retained = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			retained.add(list.get(kept[i]));
		}
		return List.copyOf(retained);
	}

	/**
	 * The number of bytes the packed copy behind a list keeps for its summaries.
	 * @param list a list returned by {@link #pack} or {@link #retain}
	 * @return the compressed length, or {@code -1} when the list is not packed
	 */
	static int compressedLength(List<MigrationSummary> list) {
		return (list instanceof View view) ? view.packed.deflated.length : -1;
	}

	/**
	 * Whether a summary's version and description are what Flyway derives from its
	 * script's name ({@link Derived}), compared in place: this runs once per migration
	 * while the application starts.
	 */
	private static boolean isDerived(MigrationSummary summary) {
		String script = summary.script();
		NameParts parts = NameParts.of(script);
		if (parts == null) {
			return false;
		}
		String version = summary.version();
		boolean sameVersion = (version != null)
				? parts.hasVersion() && isReplaced(script, parts.digit(), parts.separator(), '_', '.', version)
				: !parts.hasVersion();
		return sameVersion && isReplaced(script, parts.separator() + 2, parts.suffix(), '_', ' ', summary.description());
	}

	/**
	 * Whether {@code text} is the part of {@code script} from {@code start} to
	 * {@code end} with each {@code from} replaced by {@code to}.
	 */
	private static boolean isReplaced(String script, int start, int end, char from, char to, String text) {
		if (text.length() != end - start) {
			return false;
		}
		for (int i = start; i < end; i++) {
			char c = script.charAt(i);
			if (((c == from) ? to : c) != text.charAt(i - start)) {
				return false;
			}
		}
		return true;
	}

	private MigrationSummary summary(int i) {
		MigrationSummary[] summaries = this.inflated.get();
		if (summaries == null) {
			// Two readers at once may both inflate: the same records, the cost twice.
			summaries = inflate();
			this.inflated = new WeakReference<>(summaries);
		}
		return summaries[i];
	}

	private MigrationSummary[] inflate() {
		Decoder in = new Decoder(inflate(this.deflated, this.encodedLength));
		MigrationSummary[] summaries = new MigrationSummary[this.count];
		int rank = 0;
		long seconds = 0;
		for (int i = 0; i < this.count; i++) {
			int flags = (int) in.readUnsigned();
			Integer installedRank = null;
			if ((flags & HAS_RANK) != 0) {
				rank += (int) in.readSigned();
				installedRank = rank;
			}
			Integer checksum = ((flags & HAS_CHECKSUM) != 0) ? in.readInt() : null;
			Instant installedOn = null;
			if ((flags & HAS_INSTALLED_ON) != 0) {
				seconds += in.readSigned();
				long nanos = in.readUnsigned();
				installedOn = Instant.ofEpochSecond(seconds, ((nanos & 1) == 0) ? (nanos >>> 1) * 1000 : nanos >>> 1);
			}
			Duration executionTime = null;
			if ((flags & HAS_EXECUTION_TIME) != 0) {
				long value = in.readSigned();
				executionTime = ((value & 1) == 0) ? Duration.ofMillis(value >> 1) : Duration.ofNanos(value >> 1);
			}
			String type = this.words[(int) in.readUnsigned()];
			String state = this.words[(int) in.readUnsigned()];
			String installedBy = ((flags & HAS_INSTALLED_BY) != 0) ? this.words[(int) in.readUnsigned()] : null;
			String version = null;
			String description = null;
			if ((flags & DERIVED) == 0) {
				version = ((flags & HAS_VERSION) != 0) ? in.readText() : null;
				description = in.readText();
			}
			String script = in.readText();
			if ((flags & DERIVED) != 0) {
				Derived derived = Objects.requireNonNull(Derived.fromScript(script));
				version = derived.version();
				description = derived.description();
			}
			summaries[i] = new MigrationSummary(installedRank, version, description, script, type, state, checksum,
					installedOn, installedBy, executionTime);
		}
		return summaries;
	}

	private static byte[] deflate(byte[] bytes, int length) {
		// The fastest level: for 10,000 migrations 4 ms instead of 12 ms at the default,
		// for 9 % more bytes.
		Deflater deflater = new Deflater(Deflater.BEST_SPEED);
		try {
			deflater.setInput(bytes, 0, length);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
			byte[] buffer = new byte[8192];
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	private static byte[] inflate(byte[] deflated, int length) {
		Inflater inflater = new Inflater();
		try {
			inflater.setInput(deflated);
			byte[] bytes = new byte[length];
			int read = 0;
			while (read < length && !inflater.finished()) {
				int n = inflater.inflate(bytes, read, length - read);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					break;
				}
				read += n;
			}
			if (read != length) {
				throw new IllegalStateException("The packed migration summaries inflated to " + read + " bytes, not "
						+ length);
			}
			return bytes;
		}
		catch (DataFormatException ex) {
			throw new IllegalStateException("The packed migration summaries cannot be inflated", ex);
		}
		finally {
			inflater.end();
		}
	}

	/**
	 * Some of the packed summaries, in an order of their own; read-only.
	 */
	private static final class View extends AbstractList<MigrationSummary> implements RandomAccess {

		private final PackedMigrationSummaries packed;

		/** Where each summary is in the packed copy, or {@code null} when in its order. */
		private final int @Nullable [] positions;

		private final int size;

		View(PackedMigrationSummaries packed, int @Nullable [] positions, int size) {
			this.packed = packed;
			this.positions = positions;
			this.size = size;
		}

		@Override
		public MigrationSummary get(int index) {
			Objects.checkIndex(index, this.size);
			return this.packed.summary(position(index));
		}

		int position(int index) {
			return (this.positions != null) ? this.positions[index] : index;
		}

		@Override
		public int size() {
			return this.size;
		}

	}

	/**
	 * A growing byte array of variable-length numbers and texts.
	 */
	private static final class Encoder {

		private byte[] bytes;

		private int length;

		Encoder(int capacity) {
			this.bytes = new byte[Math.max(capacity, 16)];
		}

		void writeUnsigned(long value) {
			ensure(10);
			long rest = value;
			while ((rest & ~0x7FL) != 0) {
				this.bytes[this.length++] = (byte) ((rest & 0x7F) | 0x80);
				rest >>>= 7;
			}
			this.bytes[this.length++] = (byte) rest;
		}

		void writeSigned(long value) {
			writeUnsigned((value << 1) ^ (value >> 63));
		}

		void writeInt(int value) {
			ensure(4);
			this.bytes[this.length++] = (byte) (value >>> 24);
			this.bytes[this.length++] = (byte) (value >>> 16);
			this.bytes[this.length++] = (byte) (value >>> 8);
			this.bytes[this.length++] = (byte) value;
		}

		void writeText(String text) {
			byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
			writeUnsigned(utf8.length);
			ensure(utf8.length);
			System.arraycopy(utf8, 0, this.bytes, this.length, utf8.length);
			this.length += utf8.length;
		}

		private void ensure(int more) {
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
			}
		}

		byte[] bytes() {
			return this.bytes;
		}

		int length() {
			return this.length;
		}

	}

	/**
	 * Reads what an {@link Encoder} wrote, in the same order.
	 */
	private static final class Decoder {

		private final byte[] bytes;

		private int position;

		Decoder(byte[] bytes) {
			this.bytes = bytes;
		}

		long readUnsigned() {
			long value = 0;
			int shift = 0;
			byte next;
			do {
				next = this.bytes[this.position++];
				value |= (long) (next & 0x7F) << shift;
				shift += 7;
			}
			while (next < 0);
			return value;
		}

		long readSigned() {
			long value = readUnsigned();
			return (value >>> 1) ^ -(value & 1);
		}

		int readInt() {
			int value = ((this.bytes[this.position] & 0xFF) << 24) | ((this.bytes[this.position + 1] & 0xFF) << 16)
					| ((this.bytes[this.position + 2] & 0xFF) << 8) | (this.bytes[this.position + 3] & 0xFF);
			this.position += 4;
			return value;
		}

		String readText() {
			int length = (int) readUnsigned();
			String text = new String(this.bytes, this.position, length, StandardCharsets.UTF_8);
			this.position += length;
			return text;
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
			NameParts parts = NameParts.of(script);
			if (parts == null) {
				return null;
			}
			String version = parts.hasVersion() ? script.substring(parts.digit(), parts.separator()).replace('_', '.')
					: null;
			return new Derived(version, script.substring(parts.separator() + 2, parts.suffix()).replace('_', ' '));
		}

	}

	/**
	 * Where Flyway's parts lie in a script's name, such as {@code V1_1__add_price.sql}.
	 *
	 * @param digit where the version starts (its first digit), or {@code separator} when
	 * the name has none (a repeatable migration)
	 * @param separator where the {@code __} before the description is
	 * @param suffix where the suffix's dot is
	 */
	private record NameParts(int digit, int separator, int suffix) {

		/**
		 * Find the parts of a script's name.
		 * @param script the name
		 * @return the parts, or {@code null} when the name is not of Flyway's form (a Java
		 * migration's class name)
		 */
		static @Nullable NameParts of(String script) {
			int separator = script.indexOf("__");
			int suffix = script.lastIndexOf('.');
			if (separator < 1 || suffix < separator + 2) {
				return null;
			}
			int digit = 0;
			while (digit < separator && !Character.isDigit(script.charAt(digit))) {
				digit++;
			}
			return new NameParts(digit, separator, suffix);
		}

		boolean hasVersion() {
			return this.digit < this.separator;
		}

	}

}
