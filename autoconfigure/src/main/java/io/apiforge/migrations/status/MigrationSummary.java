package io.apiforge.migrations.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.jspecify.annotations.Nullable;

/**
 * One migration as the status reports it: a detached copy of Flyway's
 * {@link MigrationInfo}, so that readers never hold Flyway objects.
 *
 * @param installedRank the position in the schema history, or {@code null} when not
 * applied
 * @param version the version, or {@code null} for a repeatable migration
 * @param description the description
 * @param script the script name (or class name of a Java migration)
 * @param type Flyway's migration type, such as {@code SQL} or {@code JDBC}
 * @param state Flyway's migration state, such as {@code PENDING} or {@code SUCCESS}
 * @param checksum the checksum, or {@code null} when the migration has none
 * @param installedOn when it was applied, or {@code null} when it was not
 * @param installedBy the database user who applied it, or {@code null} when it was not
 * applied
 * @param executionTime how long it took, or {@code null} when it was not applied
 * @author apiforge
 */
public record MigrationSummary(@Nullable Integer installedRank, @Nullable String version, String description, String script, String type,
		String state, @Nullable Integer checksum, @Nullable Instant installedOn, @Nullable String installedBy,
		@Nullable Duration executionTime) {

	/**
	 * Copy the parts of a Flyway {@link MigrationInfo} the status reports.
	 * @param info the migration
	 * @return its summary
	 */
	public static MigrationSummary of(MigrationInfo info) {
		return of(info, info.getState(), null);
	}

	/**
	 * Copy the parts of a Flyway {@link MigrationInfo} the status reports, in a state
	 * already asked (Flyway works it out anew at every call), with the role that applied
	 * it taken from the given names: the history holds one copy of the same few names per
	 * row, and a snapshot of thousands of migrations need keep only one.
	 * @param info the migration
	 * @param state its state
	 * @param names the names already seen, by themselves (added to), or {@code null}
	 * @return its summary
	 */
	static MigrationSummary of(MigrationInfo info, MigrationState state, @Nullable Map<String, String> names) {
		String installedBy = info.getInstalledBy();
		if (installedBy != null && names != null) {
			installedBy = names.computeIfAbsent(installedBy, Function.identity());
		}
		return new MigrationSummary(info.getInstalledRank(), (info.getVersion() != null) ? info.getVersion().getVersion() : null,
				info.getDescription(), info.getScript(), info.getType().name(), state.name(),
				info.getChecksum(), (info.getInstalledOn() != null) ? info.getInstalledOn().toInstant() : null,
				installedBy, (info.getExecutionTime() != null) ? Duration.ofMillis(info.getExecutionTime()) : null);
	}

	/**
	 * Return a short label for logs: the version (or {@code R} for a repeatable
	 * migration) and the description.
	 * @return the label
	 */
	public String label() {
		return ((this.version != null) ? "V" + this.version : "R") + " \"" + this.description + "\"";
	}

	/**
	 * Return this migration in another state, as a refresh of the status sees it.
	 * @param newState Flyway's name of the state, such as {@code PENDING}
	 * @return a copy in that state, without what only an applied migration has when
	 * pending
	 */
	public MigrationSummary withState(String newState) {
		if (newState.equals(this.state)) {
			return this;
		}
		boolean pending = "PENDING".equals(newState);
		return new MigrationSummary(pending ? null : this.installedRank, this.version, this.description, this.script,
				this.type, newState, this.checksum, pending ? null : this.installedOn, pending ? null : this.installedBy,
				pending ? null : this.executionTime);
	}

}
