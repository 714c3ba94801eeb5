package io.apiforge.migrations.status;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packed copy of a snapshot's summaries reads back exactly what was packed.
 */
class PackedMigrationSummariesTests {

	@Test
	void packedListsReadBackEqualSummariesWithEveryFieldAndAbsence() {
		List<MigrationSummary> applied = IntStream.rangeClosed(1, 100).mapToObj(PackedMigrationSummariesTests::applied).toList();
		List<MigrationSummary> pending = List.of(
				new MigrationSummary(null, "101", "größe prüfen ✓", "V101__größe_prüfen_✓.sql", "SQL", "PENDING", -7,
						null, null, null),
				new MigrationSummary(null, null, "views", "R__views.sql", "SQL", "PENDING", null, null, null, null));
		List<MigrationSummary> shipped = new ArrayList<>(applied);
		shipped.addAll(pending);
		List<List<MigrationSummary>> lists = List.of(pending, List.of(), applied, List.copyOf(shipped));

		List<List<MigrationSummary>> packed = pack(lists);

		assertThat(packed).isEqualTo(lists);
		assertThat(packed.get(2)).isNotSameAs(applied).hasSize(100);
		assertThat(packed.get(2).get(41)).isEqualTo(applied.get(41)).isNotSameAs(applied.get(41));
		assertThat(packed.get(0).get(0).description()).isEqualTo("größe prüfen ✓");
		assertThat(packed.get(0).get(1).version()).isNull();
		assertThat(packed.get(0).get(1).checksum()).isNull();
	}

	@Test
	void aVersionAndDescriptionDerivedFromTheScriptReadBackAsTheyWere() {
		List<MigrationSummary> summaries = new ArrayList<>(
				IntStream.rangeClosed(1, 70).mapToObj(PackedMigrationSummariesTests::applied).toList());
		summaries.add(migration("1.1", "add price", "V1_1__add_price.sql"));
		summaries.add(migration("2.5", "add v1.2 column", "V2.5__add_v1.2_column.sql"));
		summaries.add(migration(null, "refresh views", "R__refresh_views.sql"));
		summaries.add(migration("3", "FillFullName", "db.migration.V3__FillFullName"));
		summaries.add(migration("4", "not what the name says", "V4__something_else.sql"));
		summaries.add(migration("5", "double  space", "V5__double__space.sql"));
		summaries.add(migration("6", "prefix", "V6__prefix.sql"));
		List<MigrationSummary> packed = pack(List.of(List.copyOf(summaries))).get(0);
		assertThat(packed).isEqualTo(summaries);
	}

	@Test
	void numbersAtTheirEdgesReadBackAsTheyWere() {
		List<MigrationSummary> summaries = new ArrayList<>(
				IntStream.rangeClosed(1, 70).mapToObj(PackedMigrationSummariesTests::applied).toList());
		// Ranks going down, times before 1970 and in nanoseconds, durations below zero and
		// not in whole milliseconds, the extreme checksums.
		summaries.add(new MigrationSummary(3, "71", "step 71", "V71__step.sql", "SQL", "SUCCESS", Integer.MIN_VALUE,
				Instant.parse("1969-12-31T23:59:59.999999999Z"), "app", Duration.ofMillis(-5)));
		summaries.add(new MigrationSummary(Integer.MAX_VALUE, "72", "step 72", "V72__step.sql", "SQL", "SUCCESS",
				Integer.MAX_VALUE, Instant.parse("2262-04-11T23:47:16.000000001Z"), "app", Duration.ofNanos(-3)));
		summaries.add(new MigrationSummary(0, "73", "step 73", "V73__step.sql", "SQL", "SUCCESS", 0,
				Instant.EPOCH, "app", Duration.ofNanos(1_500_001)));
		List<MigrationSummary> packed = pack(List.of(List.copyOf(summaries))).get(0);
		assertThat(packed).isEqualTo(summaries);
	}

	@Test
	void fewSummariesAreKeptAsTheyAre() {
		List<MigrationSummary> applied = IntStream.rangeClosed(1, PackedMigrationSummaries.THRESHOLD - 1)
			.mapToObj(PackedMigrationSummariesTests::applied)
			.toList();
		// The same summaries in two lists count once.
		List<List<MigrationSummary>> packed = pack(List.of(applied, applied));
		assertThat(packed).containsExactly(applied, applied);
		assertThat(packed.get(1).get(7)).isSameAs(applied.get(7));
	}

	@Test
	void retainingKeepsAViewOfThePackedCopyOrTheListItself() {
		List<MigrationSummary> applied = IntStream.rangeClosed(1, 100).mapToObj(PackedMigrationSummariesTests::applied).toList();
		List<MigrationSummary> packed = pack(List.of(applied)).get(0);

		assertThat(PackedMigrationSummaries.retain(packed, (migration) -> true)).isSameAs(packed);
		List<MigrationSummary> rolledBack = PackedMigrationSummaries.retain(packed,
				(migration) -> Integer.parseInt(migration.version()) <= 90);
		assertThat(rolledBack).isEqualTo(applied.subList(0, 90));
		assertThat(PackedMigrationSummaries.retain(rolledBack, (migration) -> migration.version().endsWith("5")))
			.extracting(MigrationSummary::version)
			.containsExactly("5", "15", "25", "35", "45", "55", "65", "75", "85");
		assertThat(PackedMigrationSummaries.retain(List.of(applied.get(0), applied.get(1)),
				(migration) -> migration.version().equals("2")))
			.containsExactly(applied.get(1));
	}

	@Test
	void tenThousandMigrationsAreKeptInAFewBytesEach() {
		String[] verbs = { "create", "add_column_to", "drop_index_on", "backfill", "rename_column_in", "comment_on" };
		String[] tables = { "orders", "customers", "invoice_lines", "payments", "shipments", "audit_log", "products" };
		Random random = new Random(17);
		Instant installedOn = Instant.parse("2026-01-05T08:00:00Z");
		List<MigrationSummary> applied = new ArrayList<>();
		for (int i = 1; i <= 10_000; i++) {
			String description = verbs[random.nextInt(verbs.length)] + " " + tables[random.nextInt(tables.length)];
			installedOn = installedOn.plusNanos(random.nextInt(50_000) * 1000L);
			applied.add(new MigrationSummary(i, String.valueOf(i), description,
					"V" + i + "__" + description.replace(' ', '_') + ".sql", "SQL", "SUCCESS", random.nextInt(),
					installedOn, "deployer", Duration.ofMillis(random.nextInt(200))));
		}
		List<MigrationSummary> packed = pack(List.of(applied, applied)).get(1);

		// About 23 bytes a migration here (random checksums, times and words); as columns of
		// arrays these took about 75.
		assertThat(PackedMigrationSummaries.compressedLength(packed)).isBetween(1, 10_000 * 32);
		assertThat(packed).isEqualTo(applied);
	}

	@Test
	void theReadRecordsAreNotKeptOnceCollected() throws InterruptedException {
		List<MigrationSummary> applied = IntStream.rangeClosed(1, 100).mapToObj(PackedMigrationSummariesTests::applied).toList();
		List<MigrationSummary> packed = pack(List.of(applied)).get(0);
		WeakReference<MigrationSummary> read = new WeakReference<>(packed.get(7));
		for (int i = 0; i < 20 && read.get() != null; i++) {
			System.gc();
			Thread.sleep(10);
		}
		// Only the compressed copy is kept between reads.
		assertThat(read.get()).isNull();
		assertThat(packed.get(7)).isEqualTo(applied.get(7));
	}

	/**
	 * Pack lists as a snapshot does: each distinct summary (the same object in several
	 * lists counts once) and, per list, where its summaries are among them.
	 */
	private static List<List<MigrationSummary>> pack(List<List<MigrationSummary>> lists) {
		Map<MigrationSummary, Integer> indexes = new IdentityHashMap<>();
		List<MigrationSummary> distinct = new ArrayList<>();
		List<int[]> positions = new ArrayList<>();
		for (List<MigrationSummary> list : lists) {
			positions.add(list.stream().mapToInt((summary) -> indexes.computeIfAbsent(summary, (added) -> {
				distinct.add(added);
				return distinct.size() - 1;
			})).toArray());
		}
		return PackedMigrationSummaries.pack(distinct, positions);
	}

	private static MigrationSummary migration(String version, String description, String script) {
		return new MigrationSummary(null, version, description, script, "SQL", "PENDING", 1, null, null, null);
	}

	private static MigrationSummary applied(int version) {
		return new MigrationSummary(version, String.valueOf(version), "step " + version, "V" + version + "__step.sql",
				"SQL", (version % 10 == 0) ? "OUT_OF_ORDER" : "SUCCESS", version * 31 - 1000,
				Instant.parse("2026-11-30T10:00:00.123456Z").plusSeconds(version), (version % 2 == 0) ? "app" : "admin",
				Duration.ofMillis(version));
	}

}
