package io.apiforge.migrations.lifecycle;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.util.Assert;

/**
 * Work at start-up that can only log, left to a thread of its own once the application
 * is ready: on two cores it would otherwise share the CPU with the creation of the
 * application's beans, its web server's start and its runners. A context that
 * {@code SpringApplication} runs (it registers the {@link ApplicationArguments}) gets an
 * {@link ApplicationReadyEvent} once its runners ran; one started otherwise, such as a
 * test's context runner, gets none, so the work starts when it is refreshed.
 * <p>
 * Its owner is the application listener: it {@linkplain #supportsEventType supports}
 * both events and hands them to {@link #onApplicationEvent(ApplicationEvent)}.
 *
 * @author apiforge
 */
public final class AfterStartup {

	private final String threadName;

	private volatile @Nullable Runnable due;

	private volatile @Nullable Thread running;

	/**
	 * Create a slot for work after start-up.
	 * @param threadName the name of the thread the work runs on
	 */
	public AfterStartup(String threadName) {
		Assert.hasText(threadName, "'threadName' must not be empty");
		this.threadName = threadName;
	}

	/**
	 * Leave work for once the application is ready.
	 * @param work the work; what it throws is lost, so it should log its own failures
	 */
	public void schedule(Runnable work) {
		Assert.notNull(work, "'work' must not be null");
		this.due = work;
	}

	/**
	 * Return whether the owner should listen to events of a type.
	 * @param eventType the type
	 * @return whether it is a {@link ContextRefreshedEvent} or an
	 * {@link ApplicationReadyEvent}
	 */
	public static boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ContextRefreshedEvent.class.isAssignableFrom(eventType)
				|| ApplicationReadyEvent.class.isAssignableFrom(eventType);
	}

	/**
	 * Start the work left for later, if any, when the event says the application is
	 * ready.
	 * @param event a {@link ContextRefreshedEvent} or an {@link ApplicationReadyEvent}
	 */
	public void onApplicationEvent(ApplicationEvent event) {
		if (this.due == null) {
			return;
		}
		if (event instanceof ContextRefreshedEvent refreshed
				&& refreshed.getApplicationContext().getBeanProvider(ApplicationArguments.class).getIfUnique() != null) {
			return;
		}
		Runnable work;
		synchronized (this) {
			work = this.due;
			this.due = null;
		}
		if (work == null) {
			return;
		}
		Thread thread = new Thread(work, this.threadName);
		thread.setDaemon(true);
		this.running = thread;
		thread.start();
	}

	/**
	 * Wait for the work still running, so that it does not read a database the
	 * application is closing.
	 * @param timeout how long to wait at most
	 * @throws InterruptedException when interrupted while waiting
	 */
	public void awaitEnd(Duration timeout) throws InterruptedException {
		Thread thread = this.running;
		if (thread != null) {
			thread.join(timeout.toMillis());
		}
	}

}
