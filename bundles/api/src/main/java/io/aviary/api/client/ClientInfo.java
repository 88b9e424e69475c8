package io.aviary.api.client;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * Who a connected client is. Resolved once when the client connects (tenant included)
 * and then passed, unchanged, to every seam: nothing looks the tenant up again.
 *
 * @param protocol        "mqtt" for MQTT listeners, or a gateway's protocol name ("mqtt-sn", "coap", ...)
 * @param protocolVersion MQTT protocol level (3, 4 or 5); gateways use their own numbering
 * @param listener        the listener the client came through, e.g. "tcp:default"
 * @param certCommonName  the TLS client certificate's CN, or null
 * @param certSubject     the TLS client certificate's subject DN, or null
 * @param attributes      extra attributes set by authenticators or gateways
 */
public record ClientInfo(
        String tenant,
        String clientId,
        String username,
        InetSocketAddress peerAddress,
        String protocol,
        int protocolVersion,
        String listener,
        String certCommonName,
        String certSubject,
        Map<String, String> attributes) {

    public static final String DEFAULT_TENANT = "default";

    public ClientInfo {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientId, "clientId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The peer's IP address as text, or "" when unknown; used by the ${peerhost} placeholder. */
    public String peerHost() {
        if (peerAddress == null) {
            return "";
        }
        return peerAddress.getAddress() != null ? peerAddress.getAddress().getHostAddress() : peerAddress.getHostString();
    }

    public ClientInfo withAttributes(Map<String, String> newAttributes) {
        return new ClientInfo(tenant, clientId, username, peerAddress, protocol, protocolVersion, listener,
                certCommonName, certSubject, newAttributes);
    }
}
