package io.apiforge.migrations.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code migrations.mode} is {@code migrate-and-exit}, in any of its relaxed
 * spellings.
 *
 * @author apiforge
 */
class OnMigrateAndExitModeCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return MigrationModes.isMigrateAndExit(context.getEnvironment())
				? ConditionOutcome.match("migrations.mode is migrate-and-exit")
				: ConditionOutcome.noMatch("migrations.mode is not migrate-and-exit");
	}

}
