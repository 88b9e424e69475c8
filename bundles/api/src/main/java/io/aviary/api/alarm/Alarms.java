package io.aviary.api.alarm;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's alarm list (EMQX's): a bundle raises an alarm when a condition starts (memory
 * high, disk quota reached) and clears it when it ends; cleared alarms stay listed as
 * deactivated until an operator deletes them. Callers hold it as an optional service.
 */
@ProviderType
public interface Alarms {

    /** Activates {@code name}; an alarm already active keeps its start time. True when newly activated. */
    boolean raise(String name, String message, Map<String, String> details);

    /** Deactivates {@code name}; false when it was not active. */
    boolean clear(String name);

    /** Active alarms, then deactivated ones, each newest first. */
    List<Alarm> list();

    /** Forgets the deactivated alarms; returns how many. */
    int deleteDeactivated();
}
