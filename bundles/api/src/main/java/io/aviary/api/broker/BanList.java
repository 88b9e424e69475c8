package io.aviary.api.broker;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Clients the broker refuses: by client id, username, peer address or CIDR block, each until
 * an expiry time. A banned client's CONNECT is refused with 0x8A Banned (MQTT 5) or return code
 * 0x05 Not authorized (3.1.1). Flapping detection adds entries here too. For the admin API's
 * /banned.
 */
@ProviderType
public interface BanList {

    /** Adds or replaces the entry for ({@code as}, {@code who}); returns it. */
    Ban add(Ban ban);

    /** Removes an entry; false when there was none. */
    boolean remove(Ban.As as, String who);

    /** The entries not yet expired. */
    List<Ban> list();
}
