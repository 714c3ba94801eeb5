package io.apiforge.migrations.lifecycle;

import java.util.function.IntConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.util.Assert;

/**
 * Ends a run of a mode that runs once ({@link MigrationMode#isOneShot()}:
 * {@code migrate-and-exit}, {@code rollback}, {@code plan}) once the context has started,
 * which means the lifecycle succeeded: closes the context and exits the JVM
 * with Spring Boot's exit code (0 unless an {@code ExitCodeGenerator} says otherwise).
 * It runs before application and command-line runners, so that a migration job does not
 * also do the application's work. A failed lifecycle fails the start-up instead, and
 * Spring Boot exits with {@link io.apiforge.migrations.MigrationsException#EXIT_CODE}.
 *
 * @author apiforge
 */
public class ExitAfterMigrationListener implements ApplicationListener<ApplicationStartedEvent> {

	private static final Log logger = LogFactory.getLog(ExitAfterMigrationListener.class);

	private final IntConsumer exit;

	/**
	 * Create a listener that exits the JVM.
	 */
	public ExitAfterMigrationListener() {
		this(System::exit);
	}

	/**
	 * Create a listener that hands the exit code to the given function.
	 * @param exit what to do with the exit code
	 */
	public ExitAfterMigrationListener(IntConsumer exit) {
		Assert.notNull(exit, "'exit' must not be null");
		this.exit = exit;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		int exitCode = SpringApplication.exit(event.getApplicationContext());
		logger.info("Migration lifecycle finished (one-shot migrations.mode): exiting with code " + exitCode);
		this.exit.accept(exitCode);
	}

}
