package io.apiforge.migrations.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.BackupRecord;
import io.apiforge.migrations.backup.BackupRequest;
import io.apiforge.migrations.backup.BackupStrategy;

/**
 * A {@link BackupStrategy} that records the requests it gets (it may be shared by several
 * applications) and runs a check at backup time.
 */
public class RecordingBackupStrategy implements BackupStrategy {

	private final List<BackupRequest> requests = new CopyOnWriteArrayList<>();

	private final Consumer<BackupRequest> atBackup;

	public RecordingBackupStrategy() {
		this((request) -> {
		});
	}

	public RecordingBackupStrategy(Consumer<BackupRequest> atBackup) {
		this.atBackup = atBackup;
	}

	@Override
	public @Nullable BackupRecord backup(BackupRequest request) {
		this.requests.add(request);
		this.atBackup.accept(request);
		return new BackupRecord("recording", "memory:" + this.requests.size(), Instant.now(), 0, Duration.ZERO,
				request.fromVersion(), request.toVersion(), false);
	}

	public List<BackupRequest> requests() {
		return this.requests;
	}

}
