package io.aviary.broker.events;

import io.aviary.api.events.BrokerEvents;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans broker events out to every registered {@link BrokerEvents} service. Listeners sit in a
 * volatile copy-on-write array, so callers test {@link #active()} first and build no event
 * object at all when nobody listens. A listener that throws is logged and skipped; it never
 * disturbs the connection that caused the event.
 */
public final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final BrokerEvents[] NONE = new BrokerEvents[0];

    private volatile BrokerEvents[] listeners = NONE;

    public boolean active() {
        return listeners.length != 0;
    }

    public synchronized void add(BrokerEvents listener) {
        BrokerEvents[] copy = Arrays.copyOf(listeners, listeners.length + 1);
        copy[listeners.length] = listener;
        listeners = copy;
    }

    public synchronized void remove(BrokerEvents listener) {
        listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(BrokerEvents[]::new);
    }

    /** Calls {@code event} on every listener; callers check {@link #active()} first. */
    public void emit(Event event) {
        for (BrokerEvents l : listeners) {
            try {
                event.fire(l);
            } catch (RuntimeException e) {
                LOG.warn("broker event listener {} failed", l.getClass().getName(), e);
            }
        }
    }

    /** One event applied to one listener. */
    @FunctionalInterface
    public interface Event {
        void fire(BrokerEvents listener);
    }
}
