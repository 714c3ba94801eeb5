package io.apiforge.migrations.autoconfigure;

import java.util.List;
import java.util.Map;

import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.env.MockEnvironment;

import io.apiforge.migrations.testsupport.CountingLockProvider;
import io.apiforge.migrations.testsupport.MigrationsContextRunner;
import io.apiforge.migrations.testsupport.RecordingBackupStrategy;
import io.apiforge.migrations.testsupport.TestDatabase;
import io.apiforge.migrations.testsupport.WithPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * {@link MigrationsPropertiesCheck}: a {@code migrations.*} value that cannot work stops
 * the start-up, before any lock, backup or migration, with Spring Boot's failure analysis
 * naming the property, the value as written and what is allowed; the edge values that
 * are allowed start.
 */
@WithPostgres
@ExtendWith(OutputCaptureExtension.class)
class MigrationsPropertiesCheckTests {

	private @Nullable ConfigurableApplicationContext context;

	/**
	 * The lifecycle on a data source that is never connected to: the check runs when the
	 * Flyway bean is built, before Flyway connects, so any failure to connect would mean
	 * the check let the value through.
	 */
	private final ApplicationContextRunner withoutDatabase = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
				MigrationsAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:postgresql://localhost:1/never-connected")
		.withInitializer((context) -> this.context = context);

	@Test
	void aLockTimeoutOfZeroIsRefused() {
		assertRefused("migrations.lock.timeout", "0s", "It must be a positive duration, such as 5m (the default)",
				"migrations.lock.timeout=0s");
	}

	@Test
	void aNegativeLockTimeoutIsRefused() {
		assertRefused("migrations.lock.timeout", "-1s", "It must be a positive duration",
				"migrations.lock.timeout=-1s");
	}

	@Test
	void aLockRetryIntervalUnderOneMillisecondIsRefusedSinceTheWaitWouldSpin() {
		assertRefused("migrations.lock.retry-interval", "500us", "It must be at least 1ms, such as 500ms (the default)",
				"migrations.lock.retry-interval=500us");
	}

	@Test
	void aLockKeepAliveIntervalOfZeroIsRefused() {
		assertRefused("migrations.lock.keep-alive-interval", "0s", "It must be at least 1ms, such as 30s (the default)",
				"migrations.lock.keep-alive-interval=0s");
	}

	@Test
	void aLockRetryIntervalOfZeroIsRefused() {
		assertRefused("migrations.lock.retry-interval", "0", "It must be at least 1ms", "migrations.lock.retry-interval=0");
	}

	@Test
	void aBackupTimeoutOfZeroIsRefused() {
		assertRefused("migrations.backup.timeout", "0m", "It must be a positive duration, such as 30m (the default)",
				"migrations.backup.timeout=0m");
	}

	@Test
	void aBackupProgressIntervalUnderOneMillisecondIsRefused() {
		assertRefused("migrations.backup.progress-interval", "0s", "It must be at least 1ms, such as 5s (the default)",
				"migrations.backup.progress-interval=0s");
	}

	@Test
	void keepingFewerThanOneBackupIsRefusedPointingAtTheStrategyToTakeNone() {
		assertRefused("migrations.backup.retention.keep-last", "0",
				"It must be at least 1, since the backup just taken is always kept; to take no backups, set "
						+ "migrations.backup.strategy=none.",
				"migrations.backup.retention.keep-last=0");
	}

	@Test
	void keepingFewerThanOneBackupOnRequestIsRefused() {
		assertRefused("migrations.backup.retention.keep-last-on-request", "0",
				"It must be at least 1, since the backup just taken is always kept, such as 5 (the default).",
				"migrations.backup.retention.keep-last-on-request=0");
	}

	@Test
	void parallelJobsWithAFormatOtherThanDirectoryAreRefusedNamingTheFix() {
		assertRefused("migrations.backup.jobs", "4",
				"pg_dump dumps in parallel only in the directory format, and migrations.backup.format is 'custom'. "
						+ "Set migrations.backup.format=directory to back up with 4 jobs (pg_dump then opens 5 "
						+ "connections), or remove migrations.backup.jobs.",
				"migrations.backup.jobs=4");
		assertRefused("migrations.backup.jobs", "2", "migrations.backup.format is 'plain'",
				"migrations.backup.jobs=2", "migrations.backup.format=plain");
	}

	@Test
	void fewerThanOneJobIsRefused() {
		assertRefused("migrations.backup.jobs", "0", "It must be at least 1 (the default)",
				"migrations.backup.format=directory", "migrations.backup.jobs=0");
	}

	@Test
	void parallelJobsWithTheDirectoryFormatPass() {
		assertThatNoException()
			.isThrownBy(() -> check("migrations.backup.format=directory", "migrations.backup.jobs=4"));
	}

	@Test
	void aNegativeStatusRefreshIntervalIsRefused() {
		assertRefused("migrations.status.refresh-interval", "-10s",
				"It must be zero or a positive duration, such as 10s (the default)",
				"migrations.status.refresh-interval=-10s");
	}

	@Test
	void aWriteRoleOfSpacesIsRefusedSinceItWouldOpenTheWriteOperations() {
		assertRefused(withSpaces("migrations.endpoint.write-role", "   "), "migrations.endpoint.write-role", "   ",
				"or empty to let anyone who can reach the write operations use them");
	}

	@Test
	void aWriteRoleWithSpacesAroundItIsRefusedSinceItWouldMatchNoRole() {
		assertRefused(withSpaces("migrations.endpoint.write-role", "ADMIN "), "migrations.endpoint.write-role",
				"ADMIN ", "It must be a role name without spaces around it");
	}

	@Test
	void anEmptyUndoPrefixIsRefused() {
		assertRefused("migrations.rollback.undo-prefix", "", "It must not be empty",
				"migrations.rollback.undo-prefix=");
	}

	@Test
	void anUndoPrefixEqualToFlywaysVersionedPrefixIsRefusedInAnyCase() {
		for (String prefix : new String[] { "V", "v" }) {
			assertRefused("migrations.rollback.undo-prefix", prefix,
					"It must differ, in any case, from Flyway's own prefixes: V (versioned migrations, "
							+ "spring.flyway.sql-migration-prefix), R (repeatable migrations, "
							+ "spring.flyway.repeatable-sql-migration-prefix), B (baseline migrations).",
					"migrations.rollback.undo-prefix=" + prefix);
		}
	}

	@Test
	void anUndoPrefixEqualToFlywaysRepeatableOrBaselinePrefixIsRefused() {
		assertRefused("migrations.rollback.undo-prefix", "r", "It must differ, in any case, from Flyway's own prefixes",
				"migrations.rollback.undo-prefix=r");
		assertRefused("migrations.rollback.undo-prefix", "B", "It must differ, in any case, from Flyway's own prefixes",
				"migrations.rollback.undo-prefix=B");
	}

	@Test
	void anUndoPrefixEqualToTheConfiguredFlywayPrefixesIsRefused() {
		assertRefused("migrations.rollback.undo-prefix", "mig",
				"from Flyway's own prefixes: Mig (versioned migrations, spring.flyway.sql-migration-prefix)",
				"spring.flyway.sql-migration-prefix=Mig", "migrations.rollback.undo-prefix=mig");
		assertRefused("migrations.rollback.undo-prefix", "Rep",
				"rep (repeatable migrations, spring.flyway.repeatable-sql-migration-prefix)",
				"spring.flyway.repeatable-sql-migration-prefix=rep", "migrations.rollback.undo-prefix=Rep");
	}

	@Test
	void anUndoPrefixHoldingFlywaysSeparatorIsRefused() {
		assertRefused("migrations.rollback.undo-prefix", "U__", "It must not contain Flyway's separator '__'",
				"migrations.rollback.undo-prefix=U__");
		assertRefused("migrations.rollback.undo-prefix", "Un-do",
				"It must not contain Flyway's separator '-' (spring.flyway.sql-migration-separator)",
				"spring.flyway.sql-migration-separator=-", "migrations.rollback.undo-prefix=Un-do");
	}

	@Test
	void anUndoPrefixEndingWithADigitIsRefusedSinceTheVersionFollowsIt() {
		assertRefused("migrations.rollback.undo-prefix", "U1", "It must not end with a digit, since the version follows it",
				"migrations.rollback.undo-prefix=U1");
	}

	@Test
	void anUndoPrefixThatCannotStartAFileNameIsRefused() {
		for (String prefix : new String[] { "U*", "undo/U", "1U" }) {
			assertRefused("migrations.rollback.undo-prefix", prefix,
					"It must start with a letter and hold only letters, digits, '-' and '_'",
					"migrations.rollback.undo-prefix=" + prefix);
		}
	}

	@Test
	void rollbackModeWithoutATargetIsRefusedAtStartUpNamingTheTarget() {
		assertRefused("migrations.mode", "rollback",
				"migrations.mode=rollback rolls back to migrations.rollback.target, which is not set. Set "
						+ "migrations.rollback.target to an applied version (such as 2 or 1.1) or to 'base'",
				"migrations.mode=rollback");
	}

	@Test
	void aRollbackTargetThatIsNeitherAVersionNorBaseIsRefusedInRollbackAndPlanModes() {
		assertRefused("migrations.rollback.target", "v2",
				"It must be an applied version, such as 2 or 1.1, or 'base' to undo every version.",
				"migrations.mode=rollback", "migrations.rollback.target=v2");
		assertRefused("migrations.rollback.target", "",
				"or 'base' to undo every version; remove it to plan the pending migrations instead.",
				"migrations.mode=plan", "migrations.rollback.target=");
	}

	@Test
	void theFailureIsPrintedAsSpringBootsFailureAnalysisBeforeFlywayConnects(CapturedOutput output) {
		SpringApplication application = new SpringApplication(LifecycleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run(
				"--spring.datasource.url=jdbc:postgresql://localhost:1/never-connected",
				"--migrations.lock.retry-interval=500us"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '500us' for configuration property 'migrations.lock.retry-interval' "
					+ "(originating from '\"migrations.lock.retry-interval\" from property source \"commandLineArgs\"')."
					+ " Validation failed for the following reason:")
			.contains("It must be at least 1ms, such as 500ms (the default)")
			.contains("Review the value of the property with the provided reason.")
			.doesNotContain("Connection to localhost:1 refused");
	}

	@Test
	void anInvalidValueStopsTheStartUpBeforeAnyLockBackupOrMigration(TestDatabase database) {
		CountingLockProvider lock = new CountingLockProvider();
		RecordingBackupStrategy backup = new RecordingBackupStrategy();
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withBean(CountingLockProvider.class, () -> lock)
			.withBean(RecordingBackupStrategy.class, () -> backup)
			.withPropertyValues("migrations.lock.timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class));
		assertThat(database.jdbc()
			.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", String.class))
			.as("nothing migrated, not even the history table created")
			.isEmpty();
		assertThat(lock.acquisitions()).isZero();
		assertThat(backup.requests()).isEmpty();
	}

	@Test
	void theSmallestAllowedValuesStartAndMigrate(TestDatabase database) {
		MigrationsContextRunner.forDatabase(database, "classpath:db/basic")
			.withPropertyValues("migrations.lock.timeout=1ms", "migrations.lock.retry-interval=1ms",
					"migrations.backup.timeout=1ms", "migrations.backup.progress-interval=1ms",
					"migrations.backup.retention.keep-last=1", "migrations.backup.retention.keep-last-on-request=1",
					"migrations.status.refresh-interval=0s",
					"migrations.endpoint.write-role=", "migrations.rollback.undo-prefix=Undo_")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(database.jdbc().queryForObject("SELECT count(*) FROM flyway_schema_history", Integer.class))
			.isEqualTo(2);
	}

	@Test
	void theDefaultsPass() {
		assertThatNoException().isThrownBy(MigrationsPropertiesCheckTests::check);
	}

	@Test
	void anUndoPrefixMayBeALetterFlywayDoesNotUseAsConfigured() {
		assertThatNoException().isThrownBy(() -> check("spring.flyway.sql-migration-prefix=M",
				"migrations.rollback.undo-prefix=V"));
		assertThatNoException().isThrownBy(() -> check("migrations.rollback.undo-prefix=Undo-"));
	}

	@Test
	void rollbackAndPlanModesAcceptAVersionOrBaseInAnySpelling() {
		for (String target : new String[] { "2", "1.1", "1_1", "base", "BASE", " 2 " }) {
			assertThatNoException().as(target)
				.isThrownBy(() -> check("migrations.mode=rollback", "migrations.rollback.target=" + target));
			assertThatNoException().as(target)
				.isThrownBy(() -> check("migrations.mode=plan", "migrations.rollback.target=" + target));
		}
		assertThatNoException().isThrownBy(() -> check("migrations.mode=plan"));
	}

	@Test
	void modesThatDoNotReadTheTargetIgnoreIt() {
		assertThatNoException().isThrownBy(() -> check("migrations.mode=migrate", "migrations.rollback.target=v2"));
		assertThatNoException().isThrownBy(() -> check("migrations.mode=validate", "migrations.rollback.target="));
	}

	@Test
	void theCheckReportsTheBoundValueWhenTheEnvironmentDoesNotHoldIt() {
		MigrationsProperties properties = new MigrationsProperties();
		properties.getLock().setRetryInterval(java.time.Duration.ofNanos(500));
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> MigrationsPropertiesCheck.check(properties, new MockEnvironment()))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo(java.time.Duration.ofNanos(500)));
	}

	private void assertRefused(String property, String value, String allowed, String... properties) {
		assertRefused(this.withoutDatabase.withPropertyValues(properties), property, value, allowed);
	}

	private void assertRefused(ApplicationContextRunner runner, String property, String value, String allowed) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo(property);
					assertThat(ex.getValue()).hasToString(value);
				});
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.startsWith("Invalid value '" + value + "' for configuration property '" + property + "'")
				.contains(allowed);
			assertThat(analysis.getAction()).isEqualTo("Review the value of the property with the provided reason.");
		});
	}

	/**
	 * A runner with a value that the usual {@code name=value} pairs would trim.
	 */
	private ApplicationContextRunner withSpaces(String name, String value) {
		return this.withoutDatabase.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("spaces", Map.of(name, value))));
	}

	/**
	 * Analyse a start-up failure the way Spring Boot's {@code FailureAnalyzers} does: every
	 * analyzer registered in {@code spring.factories}, in order, the first analysis wins.
	 */
	private FailureAnalysis analyze(Throwable failure) {
		ConfigurableApplicationContext context = this.context;
		assertThat(context).isNotNull();
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, context.getBeanFactory())
			.and(Environment.class, context.getEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
			.load(FailureAnalyzer.class, arguments, FailureHandler.logging(LogFactory.getLog(getClass())));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		throw new AssertionError("No failure analysis for " + failure);
	}

	private static void check(String... properties) {
		MockEnvironment environment = new MockEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		MigrationsProperties bound = Binder.get(environment).bindOrCreate("migrations", MigrationsProperties.class);
		MigrationsPropertiesCheck.check(bound, environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
			MigrationsAutoConfiguration.class })
	static class LifecycleApplication {

	}

}
