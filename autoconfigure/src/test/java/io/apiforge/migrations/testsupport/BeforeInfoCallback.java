package io.apiforge.migrations.testsupport;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A Flyway callback run before each {@code flyway.info()} (a classpath scan and a history
 * query), to watch when and how often the starter asks Flyway where a schema stands.
 */
public abstract class BeforeInfoCallback implements Callback {

	private final String name;

	/**
	 * Create the callback.
	 * @param name its name, as Flyway reports it
	 */
	protected BeforeInfoCallback(String name) {
		this.name = name;
	}

	/**
	 * Called before each {@code info()}.
	 * @param context the callback's context
	 */
	protected abstract void beforeInfo(Context context);

	@Override
	public final boolean supports(Event event, Context context) {
		return event == Event.BEFORE_INFO;
	}

	@Override
	public final boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public final void handle(Event event, Context context) {
		beforeInfo(context);
	}

	@Override
	public String getCallbackName() {
		return this.name;
	}

}
