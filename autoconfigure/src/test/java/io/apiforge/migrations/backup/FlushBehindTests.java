package io.apiforge.migrations.backup;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Forcing a file behind its writer: a force that fails on the background thread is not
 * lost (Linux reports a write-back error to one {@code fsync} only), but reported to the
 * writer's next call or to the final force.
 */
class FlushBehindTests {

	@TempDir
	Path temp;

	@Test
	void aForceThatFailedBehindTheWriterIsReportedToTheFinalForce() throws Exception {
		FlushBehind flush = forcingAClosedFile();
		assertThatExceptionOfType(ClosedChannelException.class).isThrownBy(flush::awaitAndRethrow);
		assertThat(flush.forces()).isZero();
		flush.stop();
	}

	@Test
	void aForceThatFailedBehindTheWriterIsReportedToItsNextWrite() throws Exception {
		FlushBehind flush = forcingAClosedFile();
		IOException reported = null;
		// The next request past the bound reports it once the failed force is done.
		for (int i = 0; i < 10_000 && reported == null; i++) {
			try {
				flush.written(10);
			}
			catch (IOException ex) {
				reported = ex;
			}
			Thread.sleep(1);
		}
		assertThat(reported).isInstanceOf(ClosedChannelException.class);
		flush.stop();
	}

	/**
	 * A flush behind a writer of 10 bytes at a time whose file is closed under it, after
	 * the first 10 bytes: the force it started fails.
	 */
	private FlushBehind forcingAClosedFile() throws IOException {
		FileChannel channel = FileChannel.open(this.temp.resolve("dump"), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE);
		FlushBehind flush = new FlushBehind(channel, 10);
		channel.close();
		flush.written(10);
		return flush;
	}

	@Test
	void belowTheBoundNothingIsForcedBehindTheWriter() throws Exception {
		try (FileChannel channel = FileChannel.open(this.temp.resolve("dump"), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			FlushBehind flush = new FlushBehind(channel, 100);
			flush.written(99);
			flush.awaitAndRethrow();
			assertThat(flush.forces()).isZero();
			flush.stop();
		}
	}

}
