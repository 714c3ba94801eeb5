package io.apiforge.migrations.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.ApplicationListener;

import io.apiforge.migrations.events.MigrationLifecycleEvent;

/**
 * Records the lifecycle's events, in order.
 */
public class RecordingEventListener implements ApplicationListener<MigrationLifecycleEvent> {

	private final List<MigrationLifecycleEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void onApplicationEvent(MigrationLifecycleEvent event) {
		this.events.add(event);
	}

	public List<MigrationLifecycleEvent> events() {
		return this.events;
	}

	public <T extends MigrationLifecycleEvent> List<T> events(Class<T> type) {
		return this.events.stream().filter(type::isInstance).map(type::cast).toList();
	}

}
