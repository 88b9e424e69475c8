package io.aviary.broker.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@code aviary.authorization}: the node's authorization behaviour (EMQX 5's
 * {@code authorization} section), the default of every tenant that has not set its own through
 * {@code PUT /api/v5/authorization/settings}. Durations are milliseconds, as the launcher converts them.
 */
@ObjectClassDefinition(name = "Aviary authorization")
public @interface AuthorizationConfig {

    @AttributeDefinition(description = "allow | deny: the answer when no authorization source decides")
    String no__match() default "allow";

    @AttributeDefinition(description = "ignore | disconnect: what a denied PUBLISH or SUBSCRIBE does")
    String deny__action() default "ignore";

    @AttributeDefinition(description = "cache authorization answers per connection")
    boolean cache_enable() default true;

    @AttributeDefinition(description = "most answers cached per connection")
    int cache_max__size() default 32;

    @AttributeDefinition(description = "how long a cached answer is used (ms)")
    long cache_ttl() default 60000;
}
