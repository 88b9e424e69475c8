package io.aviary.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@code aviary.durable_sessions}: the store's keys of the {@code durable_sessions} section
 * (the quotas in it are the broker's). A double underscore in a method name reads one underscore
 * of the key; durations arrive in milliseconds.
 */
@ObjectClassDefinition(name = "Aviary durable sessions")
public @interface StoreConfig {

    /** durable: QoS 1/2 acknowledged after the durable write; memory: everything on the heap only. */
    @AttributeDefinition String mode() default "durable";

    /** Group commit window, ms: the longest a write nobody waits for stays unsynced (waited-for writes sync at once). */
    @AttributeDefinition long group__commit__window() default 5;
}
