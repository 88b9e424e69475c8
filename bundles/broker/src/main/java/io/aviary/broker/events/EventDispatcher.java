package io.aviary.broker.events;

import io.aviary.api.client.ClientInfo;
import io.aviary.api.events.BrokerEvents;
import io.aviary.api.events.ClientEvents;
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
    /** {@link ClientEvents} listeners, adapted; they see only connects and disconnects. */
    private volatile BrokerEvents[] clientOnly = NONE;
    private final java.util.Map<ClientEvents, BrokerEvents> adapters = new java.util.IdentityHashMap<>();

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

    /** True when someone listens to client connects and disconnects (either kind of listener). */
    public boolean clientActive() {
        return listeners.length != 0 || clientOnly.length != 0;
    }

    public synchronized void addClientEvents(ClientEvents listener) {
        BrokerEvents adapter = new BrokerEvents() {
            @Override
            public void clientConnected(ClientInfo client, boolean cleanStart, int keepAlive, long sessionExpiry) {
                listener.clientConnected(client, cleanStart, keepAlive, sessionExpiry);
            }

            @Override
            public void clientDisconnected(ClientInfo client, String reason) {
                listener.clientDisconnected(client, reason);
            }
        };
        adapters.put(listener, adapter);
        BrokerEvents[] copy = Arrays.copyOf(clientOnly, clientOnly.length + 1);
        copy[clientOnly.length] = adapter;
        clientOnly = copy;
    }

    public synchronized void removeClientEvents(ClientEvents listener) {
        BrokerEvents adapter = adapters.remove(listener);
        clientOnly = Arrays.stream(clientOnly).filter(l -> l != adapter).toArray(BrokerEvents[]::new);
    }

    /** A connect or disconnect event, to both kinds of listener; callers check {@link #clientActive()}. */
    public void emitClient(Event event) {
        emit(event);
        for (BrokerEvents l : clientOnly) {
            try {
                event.fire(l);
            } catch (RuntimeException e) {
                LOG.warn("client event listener failed", e);
            }
        }
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
