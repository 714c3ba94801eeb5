package io.apiforge.migrations.testsupport;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real PostgreSQL. One server is started for the whole test run (see
 * {@link PostgresServers} for which) and stopped at its end. A {@link TestDatabase}
 * parameter is a fresh database: one per test method (shared with its
 * {@code @BeforeEach}/{@code @AfterEach} methods), or one per class when asked for in a
 * {@code @BeforeAll}/{@code @AfterAll} method. It is dropped when its scope ends.
 */
public class PostgresExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(PostgresExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
			throws ParameterResolutionException {
		Class<?> type = parameterContext.getParameter().getType();
		return type == TestDatabase.class || type == PostgresServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
			throws ParameterResolutionException {
		PostgresServer server = server(extensionContext);
		if (parameterContext.getParameter().getType() == PostgresServer.class) {
			return server;
		}
		ExtensionContext scope = isClassLevel(parameterContext.getDeclaringExecutable())
				? extensionContext.getParent().filter((parent) -> parent.getTestClass().isPresent()).orElse(extensionContext)
				: extensionContext;
		// Stores see their parents' values: the key names the scope, so that a test method
		// does not find its class's database.
		return scope.getStore(NAMESPACE)
			.computeIfAbsent("database:" + scope.getUniqueId(), (key) -> TestDatabase.create(server), TestDatabase.class);
	}

	/**
	 * Return the server of this test run, starting it on first use.
	 * @param context any extension context of the run
	 * @return the server
	 */
	public static PostgresServer server(ExtensionContext context) {
		return context.getRoot()
			.getStore(NAMESPACE)
			.computeIfAbsent(PostgresServer.class, (key) -> PostgresServers.start(System.getenv()), PostgresServer.class);
	}

	private static boolean isClassLevel(Executable executable) {
		return executable instanceof Method method
				&& (method.isAnnotationPresent(BeforeAll.class) || method.isAnnotationPresent(AfterAll.class));
	}

}
