package io.apiforge.migrations.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code migrations.mode} runs once and exits ({@code migrate-and-exit},
 * {@code rollback}, {@code plan}), in any of their relaxed spellings.
 *
 * @author apiforge
 */
class OnOneShotModeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return MigrationModes.isOneShot(context.getEnvironment())
				? ConditionOutcome.match("migrations.mode runs once and exits")
				: ConditionOutcome.noMatch("migrations.mode starts the application");
	}

}
