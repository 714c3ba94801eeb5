package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.apiforge.migrations.backup.LockedFile;

/**
 * The partial file a dump is written to, from {@code pg_dump}'s standard output: created
 * owner-only and locked ({@link LockedFile}), hashed (SHA-256) and counted as it is
 * written, and optionally read line by line on the way (a plain script's headers).
 *
 * @author apiforge
 */
final class DumpFile implements PartialDump {

	private final LockedFile file;

	private final MessageDigest digest;

	private final AtomicLong size = new AtomicLong();

	private final @Nullable Lines lines;

	private DumpFile(LockedFile file, @Nullable Lines lines) {
		this.file = file;
		this.lines = lines;
		try {
			this.digest = MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	/**
	 * Create the partial file.
	 * @param partial the file, which must not exist
	 * @param lines receives the output line by line, or {@code null}
	 * @return the open file
	 * @throws IOException when it cannot be created
	 */
	static DumpFile create(Path partial, @Nullable Lines lines) throws IOException {
		return new DumpFile(LockedFile.create(partial), lines);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		this.file.write(bytes, offset, length);
		this.digest.update(bytes, offset, length);
		if (this.lines != null) {
			this.lines.write(bytes, offset, length);
		}
		this.size.addAndGet(length);
	}

	@Override
	public long size() {
		return this.size.get();
	}

	@Override
	public String complete() throws IOException {
		if (this.lines != null) {
			this.lines.finish();
		}
		this.file.force();
		return HexFormat.of().formatHex(this.digest.digest());
	}

	@Override
	public void close() throws IOException {
		this.file.close();
	}

}
