package io.apiforge.migrations.replicas;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One row of the replica registry: a running (or lately running) instance of the
 * application.
 *
 * @param instanceId the instance's id, unique per start
 * @param host the host it runs on (a pod's name on Kubernetes)
 * @param applicationVersion the application's version ({@code spring.application.version}),
 * or {@code null} when the application does not say
 * @param expectedVersion the schema version the instance's migrations lead to, or
 * {@code null} before it knows
 * @param startedAt when the instance registered
 * @param lastHeartbeat when it last refreshed its row, by the database's clock
 * @param live whether the heartbeat is newer than {@code migrations.replicas.stale-after}
 * @author apiforge
 */
public record Replica(String instanceId, String host, @Nullable String applicationVersion,
		@Nullable String expectedVersion, Instant startedAt, Instant lastHeartbeat, boolean live) {

}
