package io.apiforge.migrations.backup.pgdump;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Splits what a child writes into lines for a consumer, keeping at most the first
 * {@value #MAX_LINE} bytes of each. With {@code skipCopyData}, the rows of a plain
 * script's {@code COPY … FROM stdin;} blocks are passed over (only their end is looked
 * for), so that data can never pass for a header and costs little.
 *
 * @author apiforge
 */
final class Lines implements ChildProcess.Output {

	private static final int MAX_LINE = 64 * 1024;

	private final Charset charset;

	private final boolean skipCopyData;

	private final Consumer<String> consumer;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private boolean inCopyData;

	/**
	 * Create a splitter.
	 * @param charset the encoding of the output
	 * @param skipCopyData whether to pass over the data of {@code COPY} blocks
	 * @param consumer receives each line, without its line break
	 */
	Lines(Charset charset, boolean skipCopyData, Consumer<String> consumer) {
		this.charset = charset;
		this.skipCopyData = skipCopyData;
		this.consumer = consumer;
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			byte b = bytes[i];
			if (b == '\n') {
				endOfLine();
			}
			else if (this.line.size() < (this.inCopyData ? 3 : MAX_LINE)) {
				this.line.write(b);
			}
		}
	}

	/**
	 * Pass on the last line when the output did not end with a line break.
	 */
	void finish() {
		if (this.line.size() > 0) {
			endOfLine();
		}
	}

	private void endOfLine() {
		String text = this.line.toString(this.charset);
		this.line.reset();
		if (this.inCopyData) {
			this.inCopyData = !text.equals("\\.");
			return;
		}
		if (this.skipCopyData && text.startsWith("COPY ") && text.endsWith(" FROM stdin;")) {
			this.inCopyData = true;
		}
		this.consumer.accept(text);
	}

}
