package io.apiforge.migrations.backup.pgdump;

import java.io.Closeable;
import java.io.IOException;

/**
 * A backup while {@code pg_dump} writes it, under its partial name: a file
 * ({@link DumpFile}) or a directory ({@link DumpDirectory}), owner-only and locked while
 * it is open, so that a later backup tells it from one a dead process left behind.
 *
 * @author apiforge
 */
interface PartialDump extends ChildProcess.Output, Closeable {

	/**
	 * Return how many bytes were written so far; safe to call from another thread.
	 * @return the size
	 */
	long size();

	/**
	 * Force the backup to the storage device and return its SHA-256; call once, when
	 * {@code pg_dump} has ended.
	 * @return the hash, in hex
	 * @throws IOException when it cannot be read or the device reports a failure
	 */
	String complete() throws IOException;

}
