package io.apiforge.migrations.backup.pgdump;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

import io.apiforge.migrations.backup.BackupDirectory;
import io.apiforge.migrations.backup.LockedFile;

/**
 * The partial directory a directory-format dump ({@code pg_dump --format=directory
 * --file=…}) is written into: created owner-only ({@code 0700}) and empty, which
 * {@code pg_dump} accepts, and held by a locked sibling file ({@code <partial>.lock},
 * a {@link LockedFile}) for as long as it is open, since a directory cannot be locked
 * itself. The lock is created before the directory and deleted after it, so a partial
 * directory without a lock, or whose lock nobody holds, is a dead process's leftover
 * ({@link LockedFile#deleteLeftovers}).
 * <p>
 * When {@code pg_dump} is done, {@link #complete()} makes every file owner-only
 * ({@code 0600}: {@code pg_dump} creates them with the process's umask, unreadable all
 * the same inside the {@code 0700} directory), forces it to disk and hashes it. The
 * directory's SHA-256 is that of its manifest: a line {@code <sha256>  <name>} per file,
 * sorted by name, which is what
 * {@code cd <backup>.dir && LC_ALL=C sha256sum $(LC_ALL=C ls) | sha256sum} prints.
 *
 * @author apiforge
 */
final class DumpDirectory implements PartialDump {

	/** A table's data in pg_restore --list: its entry's number, schema and table (then owner). */
	private static final Pattern TABLE_DATA = Pattern.compile("(\\d+); \\d+ \\d+ TABLE DATA (\\S+ \\S+).*");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private final Path directory;

	private final LockedFile lock;

	private DumpDirectory(Path directory, LockedFile lock) {
		this.directory = directory;
		this.lock = lock;
	}

	/**
	 * Lock, then create, an empty owner-only partial directory.
	 * @param partial the directory, which must not exist
	 * @return the open directory
	 * @throws IOException when it or its lock cannot be created
	 */
	static DumpDirectory create(Path partial) throws IOException {
		LockedFile lock = LockedFile.create(LockedFile.lockOf(partial));
		try {
			Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			return new DumpDirectory(partial, lock);
		}
		catch (IOException | RuntimeException ex) {
			lock.close();
			Files.deleteIfExists(lock.path());
			throw ex;
		}
	}

	/**
	 * Return the table data that a directory lacks the file of: for each line of
	 * {@code pg_restore --list} that lists a table's data ({@code 3345; 0 16390 TABLE DATA
	 * public items app}), {@code pg_dump} wrote a file named after the entry's number
	 * ({@code 3345.dat}, with the compression's extension, such as {@code 3345.dat.gz}).
	 * @param directory the dump's directory
	 * @param listed the lines of its table of contents
	 * @return the missing files, each as {@code 3345.dat* (public items)}
	 * @throws IOException when the directory cannot be listed
	 */
	static List<String> missingDataFiles(Path directory, List<String> listed) throws IOException {
		Set<String> present = new HashSet<>();
		for (Path file : files(directory)) {
			String name = file.getFileName().toString();
			int dat = name.indexOf(".dat");
			if (dat > 0 && (name.length() == dat + 4 || name.charAt(dat + 4) == '.')) {
				present.add(name.substring(0, dat));
			}
		}
		List<String> missing = new ArrayList<>();
		for (String line : listed) {
			Matcher matcher = TABLE_DATA.matcher(line);
			if (matcher.matches() && !present.contains(matcher.group(1))) {
				missing.add(matcher.group(1) + ".dat* (" + matcher.group(2) + ")");
			}
		}
		return missing;
	}

	/**
	 * Discard what {@code pg_dump} writes to its standard output: with {@code --file}
	 * it writes its files itself, and nothing there.
	 */
	@Override
	public void write(byte[] bytes, int offset, int length) {
	}

	@Override
	public long size() {
		try {
			return BackupDirectory.sizeOf(this.directory);
		}
		catch (IOException ex) {
			// A file pg_dump is still creating: the next report counts it.
			return -1;
		}
	}

	@Override
	public String complete() throws IOException {
		MessageDigest manifest = sha256();
		for (Path file : files(this.directory)) {
			Files.setPosixFilePermissions(file, OWNER_ONLY);
			MessageDigest content = sha256();
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
				InputStream input = Channels.newInputStream(channel);
				byte[] buffer = new byte[64 * 1024];
				for (int read = input.read(buffer); read >= 0; read = input.read(buffer)) {
					content.update(buffer, 0, read);
				}
				channel.force(true);
			}
			manifest.update((HexFormat.of().formatHex(content.digest()) + "  " + file.getFileName() + "\n")
				.getBytes(StandardCharsets.UTF_8));
		}
		LockedFile.forceDirectory(this.directory);
		return HexFormat.of().formatHex(manifest.digest());
	}

	/**
	 * Delete the directory unless it was renamed, then release and delete its lock.
	 */
	@Override
	public void close() throws IOException {
		try {
			FileSystemUtils.deleteRecursively(this.directory);
		}
		finally {
			this.lock.close();
			Files.deleteIfExists(this.lock.path());
		}
	}

	/**
	 * The regular files of a directory, sorted by name; pg_dump writes no subdirectory.
	 */
	private static List<Path> files(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter(Files::isRegularFile)
				.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
				.toList();
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

}
