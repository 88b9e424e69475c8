package io.aviary.api.broker;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The broker's network listeners (tcp, ssl, ws, wss), for the admin API: list them, and start,
 * stop or restart one at run time. Stopping a listener closes its bound port and its open
 * connections; other listeners are not touched. Ids are {@code type:name}, e.g. {@code ssl:default}.
 */
@ProviderType
public interface Listeners {

    List<ListenerInfo> list();

    /**
     * Binds a configured listener that is stopped (no-op when running).
     *
     * @throws IllegalArgumentException no listener has this id
     * @throws IllegalStateException    the port cannot be bound
     */
    ListenerInfo start(String id);

    /** Closes a listener's port and its connections (no-op when stopped). */
    ListenerInfo stop(String id);

    /** Stop, then start: picks up renewed certificates at once, for example. */
    ListenerInfo restart(String id);
}
