package io.aviary.broker.config;

import java.util.List;

/**
 * A WebSocket listener's {@code websocket} options.
 *
 * @param mqttPath              the only HTTP path upgraded to MQTT (EMQX {@code mqtt_path})
 * @param subprotocols          accepted Sec-WebSocket-Protocol values
 * @param failIfNoSubprotocol   refuse an upgrade that names no subprotocol
 * @param proxyAddressHeader    header carrying the client's address when set by a trusted proxy
 * @param trustedProxies        addresses or CIDRs whose {@code proxyAddressHeader} is believed
 * @param maxFrameSize          largest WebSocket frame accepted, bytes; 0 follows max_packet_size
 */
public record WsOptions(String mqttPath, List<String> subprotocols, boolean failIfNoSubprotocol,
        String proxyAddressHeader, List<String> trustedProxies, int maxFrameSize) {

    public static final WsOptions DEFAULTS = new WsOptions("/mqtt", List.of("mqtt", "mqttv3.1", "mqttv3.1.1"),
            false, "x-forwarded-for", List.of(), 0);

    static WsOptions parse(ListenerSpec.Keys k) {
        return new WsOptions(k.string("mqtt_path", DEFAULTS.mqttPath).trim(),
                k.list("supported_subprotocols", DEFAULTS.subprotocols),
                k.bool("fail_if_no_subprotocol", false),
                k.string("proxy_address_header", DEFAULTS.proxyAddressHeader).trim().toLowerCase(),
                k.list("trusted_proxies", List.of()),
                (int) Math.min(Integer.MAX_VALUE, (long) k.number("max_frame_size", DEFAULTS.maxFrameSize)));
    }
}
