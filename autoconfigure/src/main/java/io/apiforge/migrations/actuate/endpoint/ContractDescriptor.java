package io.apiforge.migrations.actuate.endpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

import io.apiforge.migrations.status.ContractStatus;

/**
 * The contract migrations, as {@code /actuator/migrations/contract} and the summary's
 * {@code contract} field show them.
 *
 * @param state {@code NONE}, {@code WAITING}, {@code APPLIED} or {@code FAILED}
 * @param waiting how many pending contract migrations wait
 * @param migration the first that waits (or failed), or {@code null}
 * @param requiredVersion the expand version it requires, or {@code null}
 * @param blockers the instances it waits for
 * @param reason why it waits when no instance is to blame, or {@code null}
 * @param lastRun the last contract run here, or {@code null}
 * @param forcedBy who forced the last run, or {@code null}
 * @param forcedAt when, or {@code null}
 * @param error why the last run failed, or {@code null}
 * @param checkedAt when the gate was last checked
 * @author apiforge
 */
public record ContractDescriptor(String state, int waiting, @Nullable String migration,
		@Nullable String requiredVersion, List<BlockerDescriptor> blockers, @Nullable String reason,
		MigrationsEndpoint.@Nullable RunDescriptor lastRun, @Nullable String forcedBy, @Nullable String forcedAt,
		@Nullable String error, String checkedAt) implements OperationResponseBody {

	static ContractDescriptor of(ContractStatus status) {
		return new ContractDescriptor(status.state().name(), status.waiting(), status.migration(),
				status.requiredVersion(), status.blockers().stream().map(BlockerDescriptor::of).toList(),
				status.reason(),
				(status.lastRun() != null) ? MigrationsEndpoint.RunDescriptor.of(status.lastRun()) : null,
				status.forcedBy(), (status.forcedAt() != null) ? status.forcedAt().toString() : null, status.error(),
				status.checkedAt().toString());
	}

	/**
	 * An instance a contract migration waits for.
	 *
	 * @param instance its id, or the external consumer's name
	 * @param host its host, or {@code external}
	 * @param applicationVersion its application's version, or {@code null}
	 * @param expectedVersion the schema version it expects, or {@code null}
	 */
	public record BlockerDescriptor(String instance, String host, @Nullable String applicationVersion,
			@Nullable String expectedVersion) {

		static BlockerDescriptor of(ContractStatus.Blocker blocker) {
			return new BlockerDescriptor(blocker.instance(), blocker.host(), blocker.applicationVersion(),
					blocker.expectedVersion());
		}

	}

}
