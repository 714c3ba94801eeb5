package io.apiforge.sample.embedded;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when no {@code spring.datasource.url} is set: then the demo has no server to
 * talk to and starts its own.
 *
 * @author apiforge
 */
class OnNoDataSourceUrlCondition extends SpringBootCondition {

	static final String URL_PROPERTY = "spring.datasource.url";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String url = context.getEnvironment().getProperty(URL_PROPERTY);
		return StringUtils.hasText(url) ? ConditionOutcome.noMatch(URL_PROPERTY + " is set to " + url)
				: ConditionOutcome.match(URL_PROPERTY + " is not set");
	}

}
