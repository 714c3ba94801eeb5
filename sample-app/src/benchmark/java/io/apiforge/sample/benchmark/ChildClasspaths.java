package io.apiforge.sample.benchmark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.apiforge.sample.benchmark.startup.StartupLauncher;

/**
 * The two classpaths the start-up benchmark's children run on, both built from the sample
 * app's runtime classpath (written by {@code dependency:build-classpath}): the starter
 * variant is that classpath as it is; the plain variant is the same without the starter's
 * own artifacts ({@value #AUTOCONFIGURE} and {@value #STARTER}), which leaves what the
 * starter brings in transitively (Spring Boot's Flyway module, Flyway and its PostgreSQL
 * support, the driver, the actuator): plain Spring Boot + Flyway. Both get the sample app's
 * classes (its {@code application.properties}) and a directory holding the launcher's
 * classes only, not the benchmark's or the tests'.
 *
 * @param starter the starter variant's classpath
 * @param plain the plain variant's classpath
 * @param removed what the plain variant leaves out
 * @author apiforge
 */
record ChildClasspaths(String starter, String plain, List<String> removed) {

	static final String AUTOCONFIGURE = "migrations-spring-boot-autoconfigure";

	static final String STARTER = "migrations-spring-boot-starter";

	static ChildClasspaths build(Path runtimeClasspathFile, Path appClasses, Path work) throws IOException {
		String runtime = Files.readString(runtimeClasspathFile, StandardCharsets.UTF_8).trim();
		List<String> entries = new ArrayList<>(Arrays.asList(runtime.split(File.pathSeparator)));
		Path launcher = copyLauncher(work.resolve("launcher-classes"));
		List<String> starter = new ArrayList<>();
		starter.add(launcher.toString());
		starter.add(appClasses.toString());
		starter.addAll(entries);
		List<String> plain = new ArrayList<>();
		List<String> removed = new ArrayList<>();
		for (String entry : starter) {
			if (isStarterArtifact(Path.of(entry))) {
				removed.add(entry);
			}
			else {
				plain.add(entry);
			}
		}
		if (removed.stream().noneMatch((entry) -> isAutoconfigure(Path.of(entry)))) {
			throw new IllegalStateException("The sample app's runtime classpath (" + runtimeClasspathFile
					+ ") has no " + AUTOCONFIGURE + " entry, so the plain variant would be the starter variant");
		}
		return new ChildClasspaths(String.join(File.pathSeparator, starter), String.join(File.pathSeparator, plain),
				removed);
	}

	/**
	 * Whether an entry is one of the starter's own: its jars, or, when the reactor
	 * resolves a module to its classes directory, {@code <module>/target/classes}.
	 */
	private static boolean isStarterArtifact(Path entry) {
		String name = entry.getFileName().toString();
		if (name.startsWith(AUTOCONFIGURE) || name.startsWith(STARTER)) {
			return true;
		}
		return isModuleClasses(entry, "autoconfigure") || isModuleClasses(entry, "starter");
	}

	private static boolean isAutoconfigure(Path entry) {
		return entry.getFileName().toString().startsWith(AUTOCONFIGURE) || isModuleClasses(entry, "autoconfigure");
	}

	private static boolean isModuleClasses(Path entry, String module) {
		Path target = entry.getParent();
		Path moduleDirectory = (target != null) ? target.getParent() : null;
		return entry.endsWith("classes") && target != null && target.endsWith("target") && moduleDirectory != null
				&& moduleDirectory.endsWith(module);
	}

	private static Path copyLauncher(Path directory) throws IOException {
		String resource = StartupLauncher.class.getName().replace('.', '/') + ".class";
		Path target = directory.resolve(resource);
		Files.createDirectories(target.getParent());
		try (InputStream in = StartupLauncher.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("The launcher's class " + resource + " is not on the classpath");
			}
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
		return directory;
	}

}
