package io.aviary.auth.http.request;

import io.aviary.api.client.ClientInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The placeholder values of one request, by EMQX's names: what the client presented (authentication)
 * or what it wants to do (authorization). Built per call; a handful of entries.
 */
public final class ClientValues {
    /** Placeholders of both kinds of request (plus {@code client_attrs.NAME}). */
    public static final Set<String> CLIENT = Set.of("username", "clientid", "peerhost", "peerport", "cert_common_name",
            "cert_subject", "proto_name", "listener");
    public static final Set<String> AUTHN = union(CLIENT, Set.of("password"));
    public static final Set<String> AUTHZ = union(CLIENT, Set.of("topic", "action", "qos", "retain", "access"));

    private ClientValues() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }

    public static Map<String, String> of(ClientInfo client, String username) {
        Map<String, String> v = new HashMap<>();
        put(v, "username", username);
        put(v, "clientid", client.clientId());
        put(v, "peerhost", client.peerHost());
        put(v, "peerport", client.peerAddress() == null ? null : Integer.toString(client.peerAddress().getPort()));
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
