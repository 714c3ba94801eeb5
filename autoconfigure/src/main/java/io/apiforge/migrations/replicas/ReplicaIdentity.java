package io.apiforge.migrations.replicas;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Who this instance is in the registry: fixed for the life of the process.
 *
 * @param instanceId the instance's id
 * @param host the host it runs on
 * @param applicationVersion the application's version, or {@code null}
 * @param startedAt when the process registered
 * @author apiforge
 */
public record ReplicaIdentity(String instanceId, String host, @Nullable String applicationVersion,
		Instant startedAt) {

	public ReplicaIdentity {
		Assert.hasText(instanceId, "'instanceId' must not be empty");
		Assert.hasText(host, "'host' must not be empty");
		Assert.notNull(startedAt, "'startedAt' must not be null");
	}

	/**
	 * Return the identity of this process: the given id or a random one, and the host's
	 * name ({@code HOSTNAME}, a pod's name on Kubernetes, before the resolver's).
	 * @param instanceId the id to use, or {@code null} for a random one
	 * @param applicationVersion the application's version, or {@code null}
	 * @param startedAt when it starts
	 * @return the identity
	 */
	public static ReplicaIdentity of(@Nullable String instanceId, @Nullable String applicationVersion,
			Instant startedAt) {
		String id = StringUtils.hasText(instanceId) ? instanceId : UUID.randomUUID().toString();
		return new ReplicaIdentity(id, hostName(), StringUtils.hasText(applicationVersion) ? applicationVersion : null,
				startedAt);
	}

	private static String hostName() {
		String host = System.getenv("HOSTNAME");
		if (StringUtils.hasText(host)) {
			return host;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown";
		}
	}

}
