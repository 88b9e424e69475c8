package io.aviary.api.alarm;

import java.util.Map;
import java.util.Objects;

/**
 * One alarm as EMQX's /alarms shows it.
 *
 * @param name          what is wrong, e.g. {@code high_process_memory_usage}; one alarm per name
 * @param message       for a person, e.g. "JVM heap 93% used (limit 80%)"
 * @param details       machine-readable figures
 * @param activatedAt   epoch ms when it was raised
 * @param deactivatedAt epoch ms when it was cleared, 0 while active
 */
public record Alarm(String name, String message, Map<String, String> details, long activatedAt, long deactivatedAt) {

    public Alarm {
        Objects.requireNonNull(name, "name");
        message = message == null ? "" : message;
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public boolean activated() {
        return deactivatedAt == 0;
    }
}
