package io.apiforge.migrations.flyway;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.apiforge.migrations.flyway.FlywayInternals.FailedMigration;
import io.apiforge.migrations.flyway.FlywayInternals.ScannedLocations;
import io.apiforge.migrations.rollback.UndoScriptResourceTypeProvider;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fails loudly, naming the member and the Flyway version, when a Flyway release moves or
 * changes one of the internals {@link FlywayInternals} relies on. The members are read
 * from its compiled bytecode (so the list cannot fall behind the code) and looked up, the
 * way the JVM links them, in the Flyway on the test classpath; then each use runs once
 * against PostgreSQL. Run it on both Spring Boot lines:
 * {@code ./mvnw -pl autoconfigure test -Dtest=FlywayInternalsTests} and the same with
 * {@code -Pspring-boot-4.1}.
 */
@WithPostgres
class FlywayInternalsTests {

	@Test
	void everyFlywayClassAndMemberFlywayInternalsUsesExistsInTheFlywayOnTheClasspath() {
		Set<Reference> references = referencesOf(FlywayInternals.class);
		assertThat(references).as("what FlywayInternals reads from its bytecode")
			.contains(Reference.type("org.flywaydb.core.internal.util.Pair"),
					Reference.type("org.flywaydb.core.internal.info.MigrationInfoImpl"),
					Reference.type("org.flywaydb.core.internal.exception.FlywayMigrateException"),
					Reference.method("org.flywaydb.core.internal.exception.FlywayMigrateException", "getLineNumber",
							List.of(), "int"),
					Reference.method("org.flywaydb.core.internal.plugin.PluginRegister", "getExact",
							List.of("java.lang.Class"), "org.flywaydb.core.extensibility.Plugin"),
					Reference.constructor("org.flywaydb.core.internal.scanner.Scanner",
							List.of("java.lang.Class", "org.flywaydb.core.api.configuration.Configuration",
									"[Lorg.flywaydb.core.api.Location;")),
					Reference.override(FlywayInternals.PrefixResourceTypeProvider.class.getName(), "getPrefixTypePairs",
							List.of("org.flywaydb.core.api.configuration.Configuration"), "java.util.List"));
		List<String> problems = problems(references);
		if (!problems.isEmpty()) {
			fail(report(problems));
		}
	}

	@Test
	void aMovedInternalIsNamedWithTheFlywayVersion() {
		Set<Reference> references = Set.of(Reference.type("org.flywaydb.core.internal.util.Pair"),
				Reference.type("org.flywaydb.core.internal.util.MovedAway"),
				Reference.method("org.flywaydb.core.internal.util.Pair", "of",
						List.of("java.lang.Object", "java.lang.Object"), "java.lang.String"),
				Reference.method("org.flywaydb.core.internal.info.MigrationInfoImpl", "getResolvedMigrations", List.of(),
						"org.flywaydb.core.api.resolver.ResolvedMigration"),
				Reference.override(FlywayInternals.PrefixResourceTypeProvider.class.getName(), "getPrefixTypes",
						List.of("org.flywaydb.core.api.configuration.Configuration"), "java.util.List"));
		List<String> problems = problems(references);
		assertThat(problems).hasSize(4);
		assertThat(report(problems)).contains("Flyway " + FlywayInternals.flywayVersion())
			.contains("FlywayInternals")
			.contains("class org.flywaydb.core.internal.util.MovedAway: no such class")
			.contains("org.flywaydb.core.internal.util.Pair.of(java.lang.Object, java.lang.Object) returning "
					+ "java.lang.String: it now returns org.flywaydb.core.internal.util.Pair")
			.contains("MigrationInfoImpl.getResolvedMigrations() returning "
					+ "org.flywaydb.core.api.resolver.ResolvedMigration: no such method")
			.contains("method getPrefixTypes(org.flywaydb.core.api.configuration.Configuration) of "
					+ "io.apiforge.migrations.flyway.FlywayInternals$PrefixResourceTypeProvider: "
					+ "no Flyway supertype declares it, Flyway would never call it");
	}

	@Test
	void theFlywayVersionIsKnown() {
		assertThat(FlywayInternals.flywayVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
	}

	@Test
	void aFailedMigrationTellsItsScriptLineStateAndTransaction(TestDatabase database) {
		Flyway flyway = flyway(database, "classpath:db/broken").load();
		FlywayException failure = catchFlywayException(flyway);
		FailedMigration failed = FlywayInternals.failedMigration(new IllegalStateException("wrapped", failure));
		assertThat(failed).as("the migration failure found through a wrapper").isNotNull();
		assertThat(failed.migration().getScript()).isEqualTo("V2__broken.sql");
		assertThat(failed.lineNumber()).isEqualTo(4);
		assertThat(failed.sqlState()).isEqualTo("42703");
		assertThat(failed.executableInTransaction()).isTrue();
		assertThat(FlywayInternals.failedMigration(new FlywayException("not a migration"))).isNull();
	}

	@Test
	void aPendingMigrationTellsWhetherItRunsInATransaction(TestDatabase database) {
		// Read only: migrating CONCURRENTLY would wait for Flyway's own transactional lock
		MigrationInfo[] pending = flyway(database, "classpath:db/flyway-internals").load().info().pending();
		assertThat(pending).extracting(MigrationInfo::getScript)
			.containsExactly("V1__create_items.sql", "V2__index_items.sql");
		assertThat(FlywayInternals.executesInTransaction(pending[0])).isTrue();
		assertThat(FlywayInternals.executesInTransaction(pending[1])).as("CREATE INDEX CONCURRENTLY").isFalse();
	}

	@Test
	void flywaysNameValidationAcceptsThePrefixOfAPrefixResourceTypeProvider(TestDatabase database) {
		Flyway flyway = flyway(database, "classpath:db/undo").validateMigrationNaming(true).load();
		assertThat(flyway.migrate().migrationsExecuted).isEqualTo(3);

		// The same scripts with the plugin's prefix changed: the U scripts are unknown names now
		FluentConfiguration otherPrefix = flyway(database, "classpath:db/undo").validateMigrationNaming(true);
		UndoScriptResourceTypeProvider undoScripts = FlywayInternals.plugin(otherPrefix,
				UndoScriptResourceTypeProvider.class);
		assertThat(undoScripts).as("the undo plugin registered with Flyway").isNotNull();
		undoScripts.setPrefix("X");
		assertThatExceptionOfType(FlywayException.class).isThrownBy(() -> otherPrefix.load().validate())
			.withMessageContaining("U2__add_price.sql");
	}

	@Test
	void flywayGivenAScanResolvesTheSameMigrationsAsItsOwnScan(TestDatabase database) {
		FluentConfiguration configuration = flyway(database, "classpath:db/tenant");
		List<String> own = describe(configuration.load().info().all());
		ScannedLocations scanned = FlywayInternals.scan(configuration);
		Flyway shared = Flyway.configure()
			.configuration(configuration)
			.resourceProvider(scanned.resources())
			.javaMigrationClassProvider(scanned.javaMigrations())
			.load();
		assertThat(own).hasSize(3);
		assertThat(describe(shared.info().all())).as("versions, scripts and checksums").isEqualTo(own);
		assertThat(shared.migrate().migrationsExecuted).isEqualTo(3);
		assertThat(configuration.load().validateWithResult().validationSuccessful)
			.as("what was applied with the scan validates with Flyway's own")
			.isTrue();
	}

	private static List<String> describe(MigrationInfo[] migrations) {
		return Arrays.stream(migrations)
			.map((migration) -> migration.getVersion() + " " + migration.getScript() + " " + migration.getChecksum())
			.toList();
	}

	private static FluentConfiguration flyway(TestDatabase database, String location) {
		return Flyway.configure().dataSource(database.dataSource()).locations(location);
	}

	private static FlywayException catchFlywayException(Flyway flyway) {
		try {
			flyway.migrate();
		}
		catch (FlywayException ex) {
			return ex;
		}
		throw new AssertionError("db/broken migrated without failing");
	}

	private static String report(List<String> problems) {
		return "FlywayInternals relies on Flyway internals that Flyway " + FlywayInternals.flywayVersion()
				+ " on the classpath no longer has as it used them:\n - " + String.join("\n - ", problems)
				+ "\nChange FlywayInternals only (use Flyway's public API where the release offers one), "
				+ "then run FlywayInternalsTests on both Spring Boot lines (default and -Pspring-boot-4.1).";
	}

	/**
	 * Read from the compiled class and its nested classes every Flyway type, method,
	 * constructor and field they use, and every Flyway method they override. A concrete
	 * method of a nested class that implements a Flyway type is taken as an override of
	 * Flyway's SPI, since Flyway is what calls it.
	 */
	private static Set<Reference> referencesOf(Class<?> type) {
		JavaClasses classes = new ClassFileImporter().importPackagesOf(type);
		Set<Reference> references = new TreeSet<>();
		for (JavaClass javaClass : classes) {
			if (!javaClass.getName().equals(type.getName()) && !javaClass.getName().startsWith(type.getName() + "$")) {
				continue;
			}
			for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
				JavaClass target = dependency.getTargetClass().getBaseComponentType();
				if (isFlyway(target.getName())) {
					references.add(Reference.type(target.getName()));
				}
			}
			for (JavaAccess<?> access : javaClass.getAccessesFromSelf()) {
				AccessTarget target = access.getTarget();
				String owner = target.getOwner().getName();
				if (!isFlyway(owner)) {
					continue;
				}
				if (target instanceof AccessTarget.ConstructorCallTarget
						|| target instanceof AccessTarget.ConstructorReferenceTarget) {
					references.add(Reference.constructor(owner,
							names(((AccessTarget.CodeUnitAccessTarget) target).getRawParameterTypes())));
				}
				else if (target instanceof AccessTarget.CodeUnitAccessTarget codeUnit) {
					references.add(Reference.method(owner, codeUnit.getName(), names(codeUnit.getRawParameterTypes()),
							codeUnit.getRawReturnType().getName()));
				}
				else if (target instanceof AccessTarget.FieldAccessTarget field) {
					references.add(Reference.field(owner, field.getName(), field.getRawType().getName()));
				}
			}
			Class<?> reflected = javaClass.reflect();
			if (supertypes(reflected).stream().noneMatch((supertype) -> isFlyway(supertype.getName()))) {
				continue;
			}
			for (Method method : reflected.getDeclaredMethods()) {
				int modifiers = method.getModifiers();
				if (!method.isSynthetic() && !Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers)
						&& !Modifier.isAbstract(modifiers)) {
					references.add(Reference.override(reflected.getName(), method.getName(),
							Arrays.stream(method.getParameterTypes()).map(Class::getName).toList(),
							method.getReturnType().getName()));
				}
			}
		}
		return references;
	}

	private static List<String> problems(Set<Reference> references) {
		List<String> problems = new ArrayList<>();
		for (Reference reference : references) {
			String problem = reference.problem();
			if (problem != null) {
				problems.add(reference + ": " + problem);
			}
		}
		return problems;
	}

	private static boolean isFlyway(String className) {
		return className.startsWith("org.flywaydb.");
	}

	private static List<String> names(List<JavaClass> types) {
		return types.stream().map(JavaClass::getName).toList();
	}

	private static Set<Class<?>> supertypes(Class<?> type) {
		Set<Class<?>> supertypes = new LinkedHashSet<>();
		Deque<Class<?>> queue = new ArrayDeque<>();
		queue.add(type);
		while (!queue.isEmpty()) {
			Class<?> current = queue.poll();
			if (supertypes.add(current)) {
				if (current.getSuperclass() != null) {
					queue.add(current.getSuperclass());
				}
				queue.addAll(Arrays.asList(current.getInterfaces()));
			}
		}
		supertypes.remove(type);
		return supertypes;
	}

	/**
	 * One class or member of Flyway, as the bytecode names it.
	 *
	 * @param kind what it is
	 * @param owner the class
	 * @param name the member's name, empty for a class
	 * @param parameterTypes the parameter types of a method or constructor
	 * @param type the return type of a method, the type of a field
	 */
	record Reference(Kind kind, String owner, String name, List<String> parameterTypes,
			String type) implements Comparable<Reference> {

		static Reference type(String owner) {
			return new Reference(Kind.CLASS, owner, "", List.of(), "");
		}

		static Reference method(String owner, String name, List<String> parameterTypes, String returnType) {
			return new Reference(Kind.METHOD, owner, name, parameterTypes, returnType);
		}

		static Reference override(String owner, String name, List<String> parameterTypes, String returnType) {
			return new Reference(Kind.OVERRIDE, owner, name, parameterTypes, returnType);
		}

		static Reference constructor(String owner, List<String> parameterTypes) {
			return new Reference(Kind.CONSTRUCTOR, owner, "<init>", parameterTypes, "void");
		}

		static Reference field(String owner, String name, String type) {
			return new Reference(Kind.FIELD, owner, name, List.of(), type);
		}

		/**
		 * Look this up in the Flyway on the classpath the way the JVM links it: the class
		 * by name, a method by name and parameter types in the class and its supertypes,
		 * with the same return type.
		 * @return what is wrong, or {@code null} if it is there as used
		 */
		@Nullable String problem() {
			Class<?> ownerClass;
			try {
				ownerClass = Class.forName(this.owner, false, getClass().getClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return "no such class";
			}
			return switch (this.kind) {
				case CLASS -> null;
				case CONSTRUCTOR -> constructorProblem(ownerClass);
				case FIELD -> fieldProblem(ownerClass);
				case METHOD -> methodProblem(ownerClass);
				case OVERRIDE -> overrideProblem(ownerClass);
			};
		}

		private @Nullable String methodProblem(Class<?> ownerClass) {
			List<Class<?>> candidates = new ArrayList<>();
			candidates.add(ownerClass);
			candidates.addAll(supertypes(ownerClass));
			return methodProblem(candidates, "no such method");
		}

		private @Nullable String overrideProblem(Class<?> ownerClass) {
			List<Class<?>> flywaySupertypes = supertypes(ownerClass).stream()
				.filter((supertype) -> isFlyway(supertype.getName()))
				.toList();
			return methodProblem(flywaySupertypes, "no Flyway supertype declares it, Flyway would never call it");
		}

		private @Nullable String methodProblem(List<Class<?>> candidates, String missing) {
			String otherReturnType = null;
			for (Class<?> candidate : candidates) {
				for (Method method : candidate.getDeclaredMethods()) {
					if (method.getName().equals(this.name) && Arrays.stream(method.getParameterTypes())
						.map(Class::getName)
						.toList()
						.equals(this.parameterTypes)) {
						if (method.getReturnType().getName().equals(this.type)) {
							return null;
						}
						otherReturnType = method.getReturnType().getName();
					}
				}
			}
			return (otherReturnType != null) ? "it now returns " + otherReturnType : missing;
		}

		private @Nullable String constructorProblem(Class<?> ownerClass) {
			for (Constructor<?> constructor : ownerClass.getDeclaredConstructors()) {
				if (Arrays.stream(constructor.getParameterTypes())
					.map(Class::getName)
					.toList()
					.equals(this.parameterTypes)) {
					return null;
				}
			}
			return "no such constructor";
		}

		private @Nullable String fieldProblem(Class<?> ownerClass) {
			for (Class<?> candidate = ownerClass; candidate != null; candidate = candidate.getSuperclass()) {
				for (Field field : candidate.getDeclaredFields()) {
					if (field.getName().equals(this.name)) {
						return field.getType().getName().equals(this.type) ? null
								: "its type is now " + field.getType().getName();
					}
				}
			}
			return "no such field";
		}

		@Override
		public int compareTo(Reference other) {
			return toString().compareTo(other.toString());
		}

		@Override
		public String toString() {
			String parameters = "(" + String.join(", ", this.parameterTypes) + ")";
			return switch (this.kind) {
				case CLASS -> "class " + this.owner;
				case CONSTRUCTOR -> "constructor " + this.owner + parameters;
				case FIELD -> "field " + this.owner + "." + this.name + " of type " + this.type;
				case METHOD -> "method " + this.owner + "." + this.name + parameters + " returning " + this.type;
				case OVERRIDE -> "method " + this.name + parameters + " of " + this.owner;
			};
		}

		enum Kind {

			CLASS, CONSTRUCTOR, FIELD, METHOD, OVERRIDE

		}

	}

}
