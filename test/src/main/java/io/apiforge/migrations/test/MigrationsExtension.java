package io.apiforge.migrations.test;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Consumer;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.util.Assert;

import io.apiforge.migrations.rollback.UndoScriptResourceTypeProvider;

/**
 * A JUnit 5 extension that gives each test a PostgreSQL database migrated by its
 * migrations, as a {@link Migrations} parameter:
 * <pre class="code">
 * class MigrationTests {
 *
 *     &#64;RegisterExtension
 *     static MigrationsExtension migrations = MigrationsExtension.locations("classpath:db/migration");
 *
 *     &#64;Test
 *     void undoScriptsRoundTrip(Migrations migrations) {
 *         migrations.assertRoundTrip();
 *     }
 *
 * }
 * </pre>
 * Before the class's first test, it migrates a template database once; each test's
 * {@code Migrations} is a clone of it ({@code CREATE DATABASE … TEMPLATE …}), created
 * when the test first uses it and dropped when the test ends, so tests never see each
 * other's rows and do not pay for a migration each. A {@code Migrations} parameter of a
 * {@code @BeforeAll} or {@code @AfterAll} method, and {@link #shared()}, is one clone for
 * the whole class (for a Spring application context, which outlives a test).
 * <p>
 * The PostgreSQL server is started once per test run and shared by every class: see
 * {@link PostgresServers} for which one, and {@link #postgresVersion(int)}.
 * <p>
 * Register it in a {@code static} field, so that the class's template is migrated once.
 *
 * @author apiforge
 */
public final class MigrationsExtension implements BeforeAllCallback, ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(MigrationsExtension.class);

	private final List<String> locations;

	private Consumer<FluentConfiguration> customizer = (configuration) -> {
	};

	private String undoPrefix = UndoScriptResourceTypeProvider.DEFAULT_PREFIX;

	private @Nullable String templateVersion;

	private @Nullable Integer postgresVersion;

	private volatile @Nullable ClassDatabases current;

	private MigrationsExtension(List<String> locations) {
		this.locations = locations;
	}

	/**
	 * Create an extension for the migrations in the given Flyway locations.
	 * @param locations such as {@code classpath:db/migration} (Flyway's default when
	 * none is given) or {@code filesystem:src/main/resources/db/migration}
	 * @return the extension
	 */
	public static MigrationsExtension locations(String... locations) {
		Assert.noNullElements(locations, "'locations' must not contain null");
		return new MigrationsExtension(
				(locations.length > 0) ? List.of(locations) : List.of("classpath:db/migration"));
	}

	/**
	 * Configure Flyway as the application does: schemas, placeholders, Java migrations,
	 * callbacks, the history table. Applied after the locations; the kit sets the data
	 * source and the target itself. Calls add up.
	 * @param customizer changes Flyway's configuration
	 * @return this extension
	 */
	public MigrationsExtension configure(Consumer<FluentConfiguration> customizer) {
		Assert.notNull(customizer, "'customizer' must not be null");
		this.customizer = this.customizer.andThen(customizer);
		return this;
	}

	/**
	 * Set the prefix of undo scripts, as {@code migrations.rollback.undo-prefix} does.
	 * @param undoPrefix the prefix, {@code U} by default
	 * @return this extension
	 */
	public MigrationsExtension undoPrefix(String undoPrefix) {
		Assert.hasText(undoPrefix, "'undoPrefix' must not be empty");
		this.undoPrefix = undoPrefix;
		return this;
	}

	/**
	 * Migrate the template, and so each test's database, to a version rather than the
	 * latest, such as the version in production, for tests of what comes after it.
	 * @param version the version, such as {@code 41}
	 * @return this extension
	 */
	public MigrationsExtension migratedTo(String version) {
		Assert.hasText(version, "'version' must not be empty");
		this.templateVersion = version;
		return this;
	}

	/**
	 * Run on a PostgreSQL server of this major version, the one production runs: an
	 * embedded server of that version (its binaries on the classpath or in the local
	 * Maven repository), a container image of it, or an external server checked to be
	 * it. Without it, {@value PostgresServers#VERSION_VARIABLE} decides, else the
	 * embedded binaries on the classpath, or {@code postgres:17-alpine}.
	 * @param majorVersion such as {@code 16}
	 * @return this extension
	 */
	public MigrationsExtension postgresVersion(int majorVersion) {
		Assert.isTrue(majorVersion >= 13, () -> "The kit needs PostgreSQL 13 or later (DROP DATABASE … WITH (FORCE)), "
				+ "but " + majorVersion + " was asked for");
		this.postgresVersion = majorVersion;
		return this;
	}

	/**
	 * Return the database shared by the current test class: a clone of the template,
	 * created on first call and dropped after the class. For what outlives a test, such
	 * as a Spring application context:
	 * <pre class="code">
	 * &#64;DynamicPropertySource
	 * static void database(DynamicPropertyRegistry registry) {
	 *     registry.add("spring.datasource.url", () -&gt; migrations.shared().jdbcUrl());
	 *     registry.add("spring.datasource.username", () -&gt; migrations.shared().username());
	 *     registry.add("spring.datasource.password", () -&gt; migrations.shared().password());
	 * }
	 * </pre>
	 * @return the class's database
	 * @throws IllegalStateException before the class's tests start, or when the
	 * extension is not registered in a static field
	 */
	public Migrations shared() {
		ClassDatabases databases = this.current;
		if (databases == null) {
			throw new IllegalStateException("MigrationsExtension.shared() has no test class to serve yet: register "
					+ "the extension in a static field (@RegisterExtension static MigrationsExtension migrations = …), "
					+ "and call shared() from a test, a @BeforeAll method or a @DynamicPropertySource supplier.");
		}
		return databases.shared();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		classDatabases(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == Migrations.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ClassDatabases databases = classDatabases(extensionContext);
		if (isClassLevel(parameterContext.getDeclaringExecutable()) || extensionContext.getTestMethod().isEmpty()) {
			return databases.shared();
		}
		// Stores see their parents' values: the key names this test.
		return extensionContext.getStore(NAMESPACE)
			.computeIfAbsent(new Key(this, "test:" + extensionContext.getUniqueId()),
					(key) -> new Migrations(databases.template()), Migrations.class);
	}

	private ClassDatabases classDatabases(ExtensionContext context) {
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
			classContext = classContext.getParent().get();
		}
		ExtensionContext scope = classContext;
		ClassDatabases databases = scope.getStore(NAMESPACE)
			.computeIfAbsent(new Key(this, "class:" + scope.getUniqueId()),
					(key) -> new ClassDatabases(TemplateDatabase.migrate(server(scope), setup())),
					ClassDatabases.class);
		this.current = databases;
		return databases;
	}

	private PostgresServer server(ExtensionContext context) {
		Integer version = this.postgresVersion;
		return context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent("server:" + version, (key) -> PostgresServers.start(version), PostgresServer.class);
	}

	private MigrationsSetup setup() {
		return new MigrationsSetup(this.locations, this.customizer, this.undoPrefix, this.templateVersion);
	}

	private static boolean isClassLevel(Executable executable) {
		return executable instanceof Method method
				&& (method.isAnnotationPresent(BeforeAll.class) || method.isAnnotationPresent(AfterAll.class));
	}

	/**
	 * A key in a store, for this extension (a class may register several) and a scope.
	 */
	private record Key(MigrationsExtension extension, String scope) {

		@Override
		public boolean equals(@Nullable Object other) {
			return other instanceof Key key && key.extension == this.extension && key.scope.equals(this.scope);
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.extension) * 31 + this.scope.hashCode();
		}

	}

	/**
	 * The databases of one test class: its template and the clone its tests share.
	 */
	private static final class ClassDatabases implements AutoCloseable {

		private final TemplateDatabase template;

		private @Nullable Migrations shared;

		ClassDatabases(TemplateDatabase template) {
			this.template = template;
		}

		TemplateDatabase template() {
			return this.template;
		}

		synchronized Migrations shared() {
			Migrations migrations = this.shared;
			if (migrations == null) {
				migrations = new Migrations(this.template);
				this.shared = migrations;
			}
			return migrations;
		}

		@Override
		public synchronized void close() {
			try {
				if (this.shared != null) {
					this.shared.close();
				}
			}
			finally {
				this.template.close();
			}
		}

	}

}
