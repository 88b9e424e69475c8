package io.aviary.broker.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The broker's keys of PID {@code aviary.durable_sessions} (the store bundle reads mode and
 * group commit window from the same PID): disk quotas in bytes (0 = none) and how often
 * expired data is removed (ms). A double underscore reads one underscore of the key.
 */
@ObjectClassDefinition(name = "Aviary durable sessions (broker)")
public @interface DurableConfig {

    @AttributeDefinition long tenant__disk__quota() default 0;

    @AttributeDefinition long session__disk__quota() default 0;

    @AttributeDefinition long expiry__check__interval() default 300_000;
}
