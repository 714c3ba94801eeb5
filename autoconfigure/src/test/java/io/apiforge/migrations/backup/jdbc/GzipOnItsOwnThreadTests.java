package io.apiforge.migrations.backup.jdbc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Compressing on a thread of its own: what is written, in writes of any size across
 * chunks, comes out of gunzip unchanged and in order; a failing output is thrown to the
 * writer instead of blocking it.
 */
class GzipOnItsOwnThreadTests {

	@Test
	void whatIsWrittenAcrossManyChunksDecompressesUnchangedAndInOrder() throws IOException {
		byte[] data = new byte[GzipOnItsOwnThread.CHUNK * (GzipOnItsOwnThread.QUEUED_CHUNKS * 3) + 12345];
		new Random(42).nextBytes(data);
		ByteArrayOutputStream compressed = new ByteArrayOutputStream();
		try (GzipOnItsOwnThread gzip = new GzipOnItsOwnThread(compressed, Deflater.BEST_SPEED, "test-gzip")) {
			int offset = 0;
			for (int length = 1; offset < data.length; length = (length * 7 + 3) % 100_000) {
				int count = Math.min(length, data.length - offset);
				if (count == 1) {
					gzip.write(data[offset]);
				}
				else {
					gzip.write(data, offset, count);
				}
				offset += count;
			}
		}
		try (GZIPInputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(compressed.toByteArray()))) {
			assertThat(gunzip.readAllBytes()).isEqualTo(data);
		}
	}

	@Test
	void aFailingOutputIsThrownToTheWriterInsteadOfBlockingIt() {
		OutputStream full = new OutputStream() {

			@Override
			public void write(int b) throws IOException {
				throw new IOException("No space left on device");
			}

			@Override
			public void write(byte[] bytes, int offset, int length) throws IOException {
				throw new IOException("No space left on device");
			}

		};
		byte[] chunk = new byte[GzipOnItsOwnThread.CHUNK];
		new Random(7).nextBytes(chunk);
		assertThatIOException().isThrownBy(() -> {
			try (GzipOnItsOwnThread gzip = new GzipOnItsOwnThread(full, Deflater.BEST_SPEED, "test-gzip")) {
				// More than the queue holds: without the failure handed back, this would block.
				for (int i = 0; i < GzipOnItsOwnThread.QUEUED_CHUNKS * 4; i++) {
					gzip.write(chunk);
				}
			}
		}).withMessageContaining("No space left on device");
	}

}
