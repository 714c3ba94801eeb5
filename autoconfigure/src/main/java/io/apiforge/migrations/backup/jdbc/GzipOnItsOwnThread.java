package io.apiforge.migrations.backup.jdbc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.jspecify.annotations.Nullable;

/**
 * A gzip stream that compresses on a thread of its own, so that reading {@code COPY}
 * data from the server and compressing it overlap, as they do when {@code pg_dump}
 * (compressing) and the server (sending) are two processes. What is written is cut into
 * chunks of {@value #CHUNK} bytes and handed over through a queue of
 * {@value #QUEUED_CHUNKS}: the memory it holds is bounded by those, whatever the size
 * of the tables, and a writer faster than the compression waits for it.
 * <p>
 * A failure of the compressing thread (a full disk) is thrown from the next write or
 * from {@link #close()}; closing after a failure of the writer's own discards what is
 * still queued.
 *
 * @author apiforge
 */
final class GzipOnItsOwnThread extends OutputStream {

	static final int CHUNK = 256 * 1024;

	static final int QUEUED_CHUNKS = 8;

	/** The end of the stream, by identity. */
	private static final byte[] END = new byte[0];

	private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);

	private final Thread thread;

	private byte[] chunk = new byte[CHUNK];

	private int used;

	private volatile @Nullable Throwable failure;

	private boolean closed;

	/**
	 * Start compressing to an output, which is flushed but not closed at the end.
	 * @param output where the compressed bytes go
	 * @param level the {@link Deflater} level
	 * @param name the compressing thread's name
	 */
	GzipOnItsOwnThread(OutputStream output, int level, String name) {
		this.thread = new Thread(() -> compress(output, level), name);
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void compress(OutputStream output, int level) {
		try (GZIPOutputStream gzip = new LeveledGzip(new Unclosable(output), level)) {
			for (byte[] bytes = this.queue.take(); bytes != END; bytes = this.queue.take()) {
				gzip.write(bytes);
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			this.failure = ex;
		}
		catch (InterruptedException ex) {
			this.failure = new InterruptedIOException("Compression was interrupted");
		}
	}

	@Override
	public void write(int b) throws IOException {
		if (this.used == CHUNK) {
			handOver();
		}
		this.chunk[this.used++] = (byte) b;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		while (length > 0) {
			if (this.used == CHUNK) {
				handOver();
			}
			int count = Math.min(length, CHUNK - this.used);
			System.arraycopy(bytes, offset, this.chunk, this.used, count);
			this.used += count;
			offset += count;
			length -= count;
		}
	}

	/**
	 * Hand the chunk over to the compressing thread; a no-op otherwise, as compressed
	 * output is only complete at {@link #close()}.
	 */
	@Override
	public void flush() throws IOException {
		checkFailure();
	}

	private void handOver() throws IOException {
		byte[] full = (this.used == CHUNK) ? this.chunk : Arrays.copyOf(this.chunk, this.used);
		put(full);
		this.chunk = new byte[CHUNK];
		this.used = 0;
	}

	private void put(byte[] bytes) throws IOException {
		try {
			while (!this.queue.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
				checkFailure();
			}
			checkFailure();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.thread.interrupt();
			throw new InterruptedIOException("Interrupted while handing data to the compression");
		}
	}

	/**
	 * Compress what is left, finish the gzip stream and wait for it to be written.
	 */
	@Override
	public void close() throws IOException {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			if (this.used > 0) {
				handOver();
			}
			put(END);
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while waiting for the compression to finish");
		}
		finally {
			if (this.thread.isAlive()) {
				this.thread.interrupt();
			}
		}
		checkFailure();
	}

	private void checkFailure() throws IOException {
		Throwable failure = this.failure;
		if (failure instanceof IOException io) {
			throw new IOException(io.getMessage(), io);
		}
		if (failure != null) {
			throw new IOException("Compressing the backup failed: " + failure, failure);
		}
	}

	/**
	 * A gzip stream at a chosen compression level.
	 */
	private static final class LeveledGzip extends GZIPOutputStream {

		LeveledGzip(OutputStream output, int level) throws IOException {
			super(output, CHUNK);
			this.def.setLevel(level);
		}

	}

	/**
	 * Lets the gzip stream finish without closing the file, which is forced to disk
	 * after.
	 */
	private static final class Unclosable extends java.io.FilterOutputStream {

		Unclosable(OutputStream output) {
			super(output);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

}
