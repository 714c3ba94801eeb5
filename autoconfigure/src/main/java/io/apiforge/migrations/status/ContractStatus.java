package io.apiforge.migrations.status;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where the contract migrations ({@code migrations.contract.locations}) stand: none
 * pending, waiting for instances that still expect an older schema, applied, or failed.
 * Waiting is not an error: health stays as it is.
 *
 * @param state the state
 * @param waiting how many pending contract migrations wait (0 unless {@code WAITING})
 * @param migration the first contract migration that waits (or failed), such as
 * {@code V3 (drop x)}, or {@code null}
 * @param requiredVersion the expand version that migration requires, or {@code null}
 * @param blockers the instances that still expect an older version than required
 * @param reason why it waits when no instance is to blame (the schema is below the
 * required version), or {@code null}
 * @param lastRun the last contract run, or {@code null} when none ran here
 * @param forcedBy who forced the last run, or {@code null} when it was not forced
 * @param forcedAt when it was forced, or {@code null}
 * @param error why the last run failed, or {@code null}
 * @param checkedAt when the gate was last checked
 * @author apiforge
 */
public record ContractStatus(State state, int waiting, @Nullable String migration, @Nullable String requiredVersion,
		List<Blocker> blockers, @Nullable String reason, @Nullable MigrationRun lastRun, @Nullable String forcedBy,
		@Nullable Instant forcedAt, @Nullable String error, Instant checkedAt) {

	/** The host of a {@link Blocker} that is an external consumer, not a replica. */
	public static final String EXTERNAL = "external";

	/**
	 * The state before any check.
	 * @param now the time
	 * @return a status with nothing pending
	 */
	public static ContractStatus none(Instant now) {
		return new ContractStatus(State.NONE, 0, null, null, List.of(), null, null, null, null, null, now);
	}

	/**
	 * What the contract migrations are doing.
	 */
	public enum State {

		/** No contract migration is pending, and none ran here. */
		NONE,

		/** A contract migration is pending and waits for its required expand version. */
		WAITING,

		/** The last contract run applied its migrations; none waits. */
		APPLIED,

		/** The last contract run failed. */
		FAILED

	}

	/**
	 * An instance a contract migration waits for: a live replica, or an external consumer
	 * ({@code migrations.contract.external.*}).
	 *
	 * @param instance the instance's id, or the external consumer's name
	 * @param host its host, or {@code external}
	 * @param applicationVersion its application's version, or {@code null}
	 * @param expectedVersion the schema version it expects, or {@code null} when it does
	 * not say (which blocks too)
	 */
	public record Blocker(String instance, String host, @Nullable String applicationVersion,
			@Nullable String expectedVersion) {

	}

}
