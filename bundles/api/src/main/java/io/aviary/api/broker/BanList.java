package io.aviary.api.broker;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Clients the broker refuses: by client id, username, peer address or CIDR block, or by a regular
 * expression found in the client id or username, each until
 * an expiry time and each within one tenant (a ban in tenant A never refuses a client of
 * tenant B). A banned client's CONNECT is refused with 0x8A Banned (MQTT 5) or return code
 * 0x05 Not authorized (3.1.1). Flapping detection adds entries here too. In durable mode the
 * entries survive a restart. For the admin API's /banned.
 */
@ProviderType
public interface BanList {

    /**
     * Adds or replaces the entry for ({@code ban.tenant()}, {@code as}, {@code who}); returns it.
     *
     * @throws IllegalArgumentException when {@code who} is no valid CIDR block or regular expression
     */
    Ban add(Ban ban);

    /** Removes a tenant's entry; false when there was none. */
    boolean remove(String tenant, Ban.As as, String who);

    /** Removes an entry of the {@code default} tenant; false when there was none. */
    default boolean remove(Ban.As as, String who) {
        return remove(Ban.DEFAULT_TENANT, as, who);
    }

    /** The entries not yet expired, of every tenant. */
    List<Ban> list();

    /** The entries of one tenant not yet expired. */
    default List<Ban> list(String tenant) {
        return list().stream().filter(b -> b.tenant().equals(tenant)).toList();
    }
}
