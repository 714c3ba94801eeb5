package io.apiforge.migrations.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.jspecify.annotations.Nullable;

/**
 * What Flyway's {@code info()} said about the schema at one moment, reduced to what the
 * status reports: versions, pending, failed and applied migrations.
 *
 * @param state where the schema stands
 * @param currentVersion the highest applied version, or {@code null} when none is applied
 * @param expectedVersion the version the schema is at once this application's pending
 * migrations are applied, or {@code null} when the application ships none
 * @param pending the migrations waiting to be applied, in order
 * @param failed the migrations recorded as failed
 * @param applied the applied migrations, in the order they were applied
 * @param shipped the migrations this application ships and would leave applied (pending
 * ones and applied ones it still has), so that a later look at the history table alone
 * can tell which of them are pending again
 * @param invalid why Flyway's validation (run by its {@code migrate()} unless
 * {@code validateOnMigrate} is off) would refuse the applied migrations: a changed
 * checksum, a script missing from the application, a failed or an ignored migration;
 * empty when it would accept them
 * @param inspectedAt when Flyway was asked
 * @author apiforge
 */
public record SchemaSnapshot(SchemaState state, @Nullable String currentVersion, @Nullable String expectedVersion,
		List<MigrationSummary> pending, List<MigrationSummary> failed, List<MigrationSummary> applied,
		List<MigrationSummary> shipped, List<String> invalid, Instant inspectedAt) {

	/**
	 * The snapshot of a schema that has not been inspected yet.
	 * @param at the moment to record
	 * @return an {@link SchemaState#UNKNOWN} snapshot
	 */
	public static SchemaSnapshot unknown(Instant at) {
		return new SchemaSnapshot(SchemaState.UNKNOWN, null, null, List.of(), List.of(), List.of(), List.of(), List.of(), at);
	}

	/**
	 * Reduce Flyway's view of the schema to a snapshot.
	 * @param info the result of {@code flyway.info()}
	 * @param at the moment Flyway was asked
	 * @return the snapshot
	 */
	public static SchemaSnapshot of(MigrationInfoService info, Instant at) {
		return of(info, new ValidatePattern[] { ValidatePattern.fromPattern("*:future") }, at);
	}

	/**
	 * Reduce Flyway's view of the schema to a snapshot.
	 * @param info the result of {@code flyway.info()}
	 * @param ignored the validation problems Flyway is configured to ignore
	 * ({@code spring.flyway.ignore-migration-patterns})
	 * @param at the moment Flyway was asked
	 * @return the snapshot
	 */
	public static SchemaSnapshot of(MigrationInfoService info, ValidatePattern[] ignored, Instant at) {
		MigrationInfo[] all = info.all();
		// One walk over the migrations, asking each for its state once: Flyway works a
		// state out anew at every call, and its pending(), applied() and current() each
		// walk them all. At 10,000 migrations, at start-up, that was a tenth of a second.
		Positions pending = new Positions(all.length);
		Positions failed = new Positions(all.length);
		Positions applied = new Positions(all.length);
		Positions shipped = new Positions(all.length);
		boolean ahead = false;
		MigrationVersion current = null;
		MigrationVersion expected = null;
		List<String> invalid = new ArrayList<>();
		MigrationState[] states = new MigrationState[all.length];
		for (int i = 0; i < all.length; i++) {
			MigrationInfo migration = all[i];
			MigrationState state = migration.getState();
			states[i] = state;
			MigrationVersion version = migration.getVersion();
			if (state == MigrationState.PENDING) {
				pending.add(i);
			}
			if (state.isFailed()) {
				failed.add(i);
			}
			if (state.isApplied()) {
				applied.add(i);
				if (version != null && isCurrentCandidate(migration, state)
						&& (current == null || version.compareTo(current) > 0)) {
					current = version;
				}
			}
			if (isShipped(migration, state)) {
				shipped.add(i);
			}
			ahead |= state == MigrationState.FUTURE_SUCCESS;
			if (version != null && isExpected(state) && (expected == null || version.compareTo(expected) > 0)) {
				expected = version;
			}
			String problem = FlywayValidation.problem(migration, state, ignored);
			if (problem != null) {
				invalid.add(problem);
			}
		}
		List<List<MigrationSummary>> lists = summaries(all, states, List.of(pending, failed, applied, shipped));
		SchemaState state = state(!failed.isEmpty(), ahead, !pending.isEmpty(), !applied.isEmpty());
		return new SchemaSnapshot(state, (current != null) ? current.getVersion() : null,
				(expected != null) ? expected.getVersion() : null, lists.get(0), lists.get(1), lists.get(2),
				lists.get(3), List.copyOf(invalid), at);
	}

	/**
	 * One summary per migration that a list holds, shared by the lists it is in and
	 * packed once: a snapshot is kept for the application's life, and most migrations are
	 * both applied and shipped.
	 */
	private static List<List<MigrationSummary>> summaries(MigrationInfo[] all, MigrationState[] states,
			List<Positions> lists) {
		int[] distinctIndex = new int[all.length];
		Arrays.fill(distinctIndex, -1);
		List<MigrationSummary> distinct = new ArrayList<>();
		Map<String, String> names = new HashMap<>();
		List<int[]> positions = new ArrayList<>(lists.size());
		for (Positions list : lists) {
			int[] indexes = list.toArray();
			for (int i = 0; i < indexes.length; i++) {
				int index = indexes[i];
				if (distinctIndex[index] < 0) {
					distinctIndex[index] = distinct.size();
					distinct.add(MigrationSummary.of(all[index], states[index], names));
				}
				indexes[i] = distinctIndex[index];
			}
			positions.add(indexes);
		}
		return PackedMigrationSummaries.pack(distinct, positions);
	}

	private static SchemaState state(boolean failed, boolean ahead, boolean pending, boolean applied) {
		if (failed) {
			return SchemaState.FAILED;
		}
		if (ahead) {
			return SchemaState.AHEAD;
		}
		if (pending) {
			return applied ? SchemaState.PENDING : SchemaState.NOT_INITIALIZED;
		}
		return SchemaState.UP_TO_DATE;
	}

	/**
	 * Whether a migration can be the current version as Flyway's {@code current()} says
	 * it: applied, versioned, and neither deleted nor undone.
	 */
	private static boolean isCurrentCandidate(MigrationInfo migration, MigrationState state) {
		return state != MigrationState.DELETED && state != MigrationState.UNDONE
				&& !"DELETE".equals(migration.getType().name());
	}

	/**
	 * Whether a migration counts towards the version the schema is at once this
	 * application's pending migrations are applied: pending ones and applied ones it still
	 * ships. Versions above a configured {@code spring.flyway.target} or ignored ones do
	 * not count.
	 */
	private static boolean isExpected(MigrationState state) {
		return state == MigrationState.PENDING || (state.isApplied() && state.isResolved());
	}

	private static boolean isShipped(MigrationInfo migration, MigrationState state) {
		return state == MigrationState.PENDING
				|| (state.isApplied() && state.isResolved() && !state.isFailed() && migration.getType() != null
						&& !migration.getType().isBaseline() && !"SCHEMA".equals(migration.getType().name()));
	}

	/**
	 * Bring this snapshot up to date with what the history table says now, without
	 * asking Flyway (which would scan the classpath), both ways: migrations someone else
	 * applied drop out of the pending ones, and shipped migrations whose rows disappeared
	 * (another instance rolled them back) are pending again; failures and versions the
	 * application does not know show up; a history table that vanished or was emptied
	 * after versions had been applied is {@link SchemaState#HISTORY_MISSING}. The detail
	 * of {@link #applied()} keeps only the rows still there.
	 * @param history the history table now
	 * @param at when it was read
	 * @return the updated snapshot
	 */
	public SchemaSnapshot withHistory(SchemaHistory history, Instant at) {
		Set<String> appliedVersions = new HashSet<>(history.appliedVersions());
		Set<String> appliedRepeatables = new HashSet<>(history.appliedRepeatables());
		List<MigrationSummary> pendingNow = this.shipped.stream()
			.filter((migration) -> (migration.version() != null) ? !appliedVersions.contains(migration.version())
					: !appliedRepeatables.contains(migration.script() + ":" + checksum(migration)))
			.map((migration) -> migration.withState("PENDING"))
			.toList();
		List<MigrationSummary> failedNow = history.failedScripts()
			.stream()
			.map((script) -> failedMigration(script))
			.toList();
		List<MigrationSummary> appliedNow = PackedMigrationSummaries.retain(this.applied,
				(migration) -> migration.version() == null || appliedVersions.contains(migration.version()));
		MigrationVersion current = history.appliedVersions()
			.stream()
			.map(MigrationVersion::fromVersion)
			.max(MigrationVersion::compareTo)
			.orElse(null);
		boolean ahead = current != null && this.expectedVersion != null
				&& current.compareTo(MigrationVersion.fromVersion(this.expectedVersion)) > 0;
		boolean nothingApplied = history.appliedVersions().isEmpty() && history.appliedRepeatables().isEmpty();
		boolean hadHistory = this.currentVersion != null || !this.applied.isEmpty()
				|| this.state == SchemaState.HISTORY_MISSING;
		SchemaState state;
		if (!failedNow.isEmpty()) {
			state = SchemaState.FAILED;
		}
		else if (history.maxRank() == 0 && hadHistory) {
			state = SchemaState.HISTORY_MISSING;
		}
		else if (ahead) {
			state = SchemaState.AHEAD;
		}
		else if (!pendingNow.isEmpty()) {
			state = nothingApplied ? SchemaState.NOT_INITIALIZED : SchemaState.PENDING;
		}
		else {
			state = SchemaState.UP_TO_DATE;
		}
		return new SchemaSnapshot(state, (current != null) ? current.getVersion() : null, this.expectedVersion,
				pendingNow, failedNow, appliedNow, this.shipped, this.invalid, at);
	}

	/**
	 * Return this snapshot once its pending migrations were applied, read off the rows
	 * they added to the history table, without asking Flyway again: after a migration,
	 * Flyway's {@code info()} scans the classpath, reads every script for its checksum and
	 * reads the whole history, which takes seconds with thousands of migrations. The
	 * result is what {@code info()} would say then, and the run's caller asks Flyway
	 * instead wherever this cannot tell: a {@code null} result.
	 * <p>
	 * It tells when the rows are exactly this snapshot's pending migrations, each
	 * applied successfully with the same version, description, type, script and
	 * checksum, in order, and each above the current version; and when this snapshot was
	 * {@link SchemaState#PENDING} or {@link SchemaState#NOT_INITIALIZED} with no failed
	 * migration, and none of its pending migrations is repeatable. The row Flyway adds
	 * first when it created the schemas (of rank 0, type {@code SCHEMA}) may come before
	 * them when nothing was applied. Otherwise (a repeatable re-applied makes its older row
	 * superseded, an out-of-order migration is applied below the current version, a
	 * migration failed or another row came in, such as a baseline) it returns
	 * {@code null}.
	 * @param added the rows added after {@link #lastInstalledRank()}, oldest first
	 * @param at when they were read
	 * @return the snapshot after the migration, or {@code null} when this cannot tell
	 */
	public @Nullable SchemaSnapshot afterApplying(List<MigrationSummary> added, Instant at) {
		// Flyway records the schemas it created first, in a row of rank 0.
		int created = (this.applied.isEmpty() && !added.isEmpty() && isSchemaCreation(added.get(0))) ? 1 : 0;
		if ((this.state != SchemaState.PENDING && this.state != SchemaState.NOT_INITIALIZED) || !this.failed.isEmpty()
				|| added.size() == created || added.size() - created != this.pending.size()) {
			return null;
		}
		MigrationVersion current = (this.currentVersion != null) ? MigrationVersion.fromVersion(this.currentVersion)
				: null;
		Map<String, MigrationSummary> appliedNow = new HashMap<>();
		for (int i = 0; i < this.pending.size(); i++) {
			MigrationSummary pendingMigration = this.pending.get(i);
			MigrationSummary row = added.get(created + i);
			if (pendingMigration.version() == null || !isSameMigrationApplied(pendingMigration, row)) {
				return null;
			}
			MigrationVersion version = MigrationVersion.fromVersion(row.version());
			if (current != null && version.compareTo(current) <= 0) {
				return null;
			}
			current = version;
			appliedNow.put(row.version(), row);
		}
		// Flyway lists the applied migrations by rank before the others: the added rows
		// follow the applied ones, and take the pending ones' places among the shipped.
		List<MigrationSummary> distinct = new ArrayList<>(this.applied.size() + added.size());
		Map<Integer, Integer> indexOfRank = new HashMap<>();
		for (MigrationSummary migration : this.applied) {
			if (migration.installedRank() != null) {
				indexOfRank.put(migration.installedRank(), distinct.size());
			}
			distinct.add(migration);
		}
		for (MigrationSummary row : added) {
			indexOfRank.put(row.installedRank(), distinct.size());
			distinct.add(row);
		}
		int[] shippedPositions = new int[this.shipped.size()];
		for (int i = 0; i < shippedPositions.length; i++) {
			MigrationSummary migration = this.shipped.get(i);
			MigrationSummary applied = "PENDING".equals(migration.state()) ? appliedNow.get(migration.version())
					: migration;
			Integer index = (applied != null && applied.installedRank() != null)
					? indexOfRank.get(applied.installedRank()) : null;
			if (index == null) {
				return null;
			}
			shippedPositions[i] = index;
		}
		int[] appliedPositions = new int[distinct.size()];
		Arrays.setAll(appliedPositions, (i) -> i);
		List<List<MigrationSummary>> lists = PackedMigrationSummaries.pack(distinct,
				List.of(new int[0], new int[0], appliedPositions, shippedPositions));
		return new SchemaSnapshot(SchemaState.UP_TO_DATE, current.getVersion(), this.expectedVersion, lists.get(0),
				lists.get(1), lists.get(2), lists.get(3), this.invalid, at);
	}

	private static boolean isSchemaCreation(MigrationSummary row) {
		return "SCHEMA".equals(row.type()) && "SUCCESS".equals(row.state()) && row.version() == null
				&& Integer.valueOf(0).equals(row.installedRank());
	}

	private static boolean isSameMigrationApplied(MigrationSummary pending, MigrationSummary row) {
		return "SUCCESS".equals(row.state()) && row.installedRank() != null
				&& Objects.equals(pending.version(), row.version())
				&& Objects.equals(pending.description(), row.description()) && Objects.equals(pending.type(), row.type())
				&& Objects.equals(pending.script(), row.script()) && Objects.equals(pending.checksum(), row.checksum());
	}

	/**
	 * Return the highest installed rank among the applied migrations: the rows of the
	 * history table after it are what a later run added.
	 * @return the rank, or {@code -1} when nothing is applied (the first row Flyway
	 * writes, when it creates the schemas, has rank 0)
	 */
	public int lastInstalledRank() {
		int rank = -1;
		for (MigrationSummary migration : this.applied) {
			if (migration.installedRank() != null) {
				rank = Math.max(rank, migration.installedRank());
			}
		}
		return rank;
	}

	private MigrationSummary failedMigration(String script) {
		return this.failed.stream()
			.filter((migration) -> migration.script().equals(script))
			.findFirst()
			.orElseGet(() -> new MigrationSummary(null, null, script, script, "", "FAILED", null, null, null, null));
	}

	private static String checksum(MigrationSummary migration) {
		return (migration.checksum() != null) ? migration.checksum().toString() : "";
	}

	/**
	 * Return whether any migration is waiting to be applied.
	 * @return whether migrations are pending
	 */
	public boolean hasPending() {
		return !this.pending.isEmpty();
	}

	/**
	 * The positions of some migrations in Flyway's list, in its order.
	 */
	private static final class Positions {

		private final int[] indexes;

		private int size;

		Positions(int capacity) {
			this.indexes = new int[capacity];
		}

		void add(int index) {
			this.indexes[this.size++] = index;
		}

		boolean isEmpty() {
			return this.size == 0;
		}

		int[] toArray() {
			return Arrays.copyOf(this.indexes, this.size);
		}

	}

}
