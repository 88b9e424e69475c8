package io.aviary.auth.mongodb.connect;

import io.aviary.api.client.ClientInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The values a filter's placeholders take for one client, by EMQX's names. The password is not
 * among them: it is checked against the stored hash here, never sent to the database.
 */
public final class PlaceholderValues {
    /** Placeholders a filter may use (plus {@code client_attrs.NAME}); a missing value renders empty. */
    public static final Set<String> KNOWN = Set.of("username", "clientid", "peerhost", "cert_common_name",
            "cert_subject", "proto_name", "listener");

    private PlaceholderValues() {
    }

    /** @param username the user name as the tenant sees it (without an {@code @tenant} suffix) */
    public static Map<String, String> of(ClientInfo client, String username) {
        Map<String, String> v = new HashMap<>();
        put(v, "username", username);
        put(v, "clientid", client.clientId());
        put(v, "peerhost", client.peerHost());
        put(v, "cert_common_name", client.certCommonName());
        put(v, "cert_subject", client.certSubject());
        put(v, "proto_name", "mqtt".equals(client.protocol()) ? "MQTT" : client.protocol());
        put(v, "listener", client.listener());
        client.attributes().forEach((k, value) -> v.put("client_attrs." + k, value));
        return v;
    }

    private static void put(Map<String, String> v, String name, String value) {
        if (value != null) {
            v.put(name, value);
        }
    }
}
