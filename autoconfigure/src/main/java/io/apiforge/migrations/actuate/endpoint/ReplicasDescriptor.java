package io.apiforge.migrations.actuate.endpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.replicas.Replica;
import io.apiforge.migrations.replicas.ReplicaRegistry;

/**
 * The replica registry, as {@code /actuator/migrations/replicas} shows it: every
 * instance in it, the newest start first, live or not.
 *
 * @param self this instance's id
 * @param staleAfter how old a heartbeat may be for its instance to count as live
 * ({@code migrations.replicas.stale-after}), as an ISO-8601 duration
 * @param live how many instances are live
 * @param replicas the instances
 * @author apiforge
 */
public record ReplicasDescriptor(String self, String staleAfter, long live, List<ReplicaDescriptor> replicas) {

	static ReplicasDescriptor of(ReplicaRegistry registry, List<Replica> replicas) {
		String self = registry.self().instanceId();
		return new ReplicasDescriptor(self, registry.staleAfter().toString(),
				replicas.stream().filter(Replica::live).count(),
				replicas.stream().map((replica) -> ReplicaDescriptor.of(replica, self)).toList());
	}

	/**
	 * One instance.
	 *
	 * @param instanceId its id
	 * @param host the host it runs on
	 * @param applicationVersion the application's version, or {@code null}
	 * @param expectedVersion the schema version its migrations lead to, or {@code null}
	 * @param startedAt when it registered
	 * @param lastHeartbeat its last heartbeat, by the database's clock
	 * @param live whether the heartbeat is newer than {@code staleAfter}
	 * @param self whether it is the instance that answers
	 */
	public record ReplicaDescriptor(String instanceId, String host, @Nullable String applicationVersion,
			@Nullable String expectedVersion, String startedAt, String lastHeartbeat, boolean live, boolean self) {

		static ReplicaDescriptor of(Replica replica, String self) {
			return new ReplicaDescriptor(replica.instanceId(), replica.host(), replica.applicationVersion(),
					replica.expectedVersion(), replica.startedAt().toString(), replica.lastHeartbeat().toString(),
					replica.live(), replica.instanceId().equals(self));
		}

	}

}
